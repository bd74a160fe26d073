// The contract form: show only the fee fields of the chosen basis (both stay in the page
// without JavaScript, and the server reads only the chosen one).
document.addEventListener("DOMContentLoaded", () => {
  const radios = document.querySelectorAll('input[name="fee_basis"]');
  const groups = document.querySelectorAll("[data-fee-basis]");
  const show = () => {
    const chosen = document.querySelector('input[name="fee_basis"]:checked');
    groups.forEach((group) => {
      group.hidden = chosen !== null && group.dataset.feeBasis !== chosen.value;
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", show));
  show();
});
