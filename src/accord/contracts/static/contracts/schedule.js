// The schedule editor: a problem's "line N" link also puts the caret on that line of the
// text area, so the person can fix it at once (the link still jumps to the numbered text).
document.addEventListener("DOMContentLoaded", () => {
  const editor = document.querySelector("textarea.yaml-input");
  if (!editor) return;
  document.querySelectorAll("a[data-line]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const line = Number(link.dataset.line);
      const lines = editor.value.split("\n");
      if (!line || line > lines.length) return;
      event.preventDefault();
      const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
      editor.focus();
      editor.setSelectionRange(start, start + lines[line - 1].length);
      const height = editor.scrollHeight / Math.max(lines.length, 1);
      editor.scrollTop = Math.max(0, (line - 5) * height);
    });
  });
});
