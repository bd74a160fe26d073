"""The governance pages: forums, members, meetings, attendance, decisions, actions."""

from __future__ import annotations

from django.urls import path

from accord.governance.views import actions, forums, meetings

urlpatterns = [
    # Forums: the escalation ladder of a relationship.
    path("relationships/<int:pk>/forums/", forums.ForumListView.as_view(), name="forum_list"),
    path("relationships/<int:pk>/forums/add/", forums.ForumAddView.as_view(), name="forum_add"),
    path("forums/<int:pk>/", forums.ForumDetailView.as_view(), name="forum_detail"),
    path("forums/<int:pk>/edit/", forums.ForumEditView.as_view(), name="forum_edit"),
    path("forums/<int:pk>/delete/", forums.ForumDeleteView.as_view(), name="forum_delete"),
    path("forums/<int:pk>/audit/", forums.ForumAuditView.as_view(), name="forum_audit"),
    path(
        "forums/<int:pk>/members/add/",
        forums.ForumMemberAddView.as_view(),
        name="forum_member_add",
    ),
    path(
        "forum-members/<int:pk>/remove/",
        forums.ForumMemberRemoveView.as_view(),
        name="forum_member_remove",
    ),
    path(
        "forum-members/<int:pk>/audit/",
        forums.ForumMemberAuditView.as_view(),
        name="forum_member_audit",
    ),
    # Meetings of a forum.
    path("forums/<int:pk>/meetings/add/", meetings.MeetingAddView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/record/", meetings.MeetingRecordView.as_view(), name="meeting_record"),
    path(
        "meetings/<int:pk>/attendance/",
        meetings.MeetingAttendanceView.as_view(),
        name="meeting_attendance",
    ),
    path("meetings/<int:pk>/delete/", meetings.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/audit/", meetings.MeetingAuditView.as_view(), name="meeting_audit"),
    path(
        "attendance/<int:pk>/audit/",
        meetings.AttendanceAuditView.as_view(),
        name="attendance_audit",
    ),
    path(
        "meetings/<int:pk>/decisions/add/",
        meetings.DecisionAddView.as_view(),
        name="decision_add",
    ),
    path("decisions/<int:pk>/edit/", meetings.DecisionEditView.as_view(), name="decision_edit"),
    path(
        "decisions/<int:pk>/delete/", meetings.DecisionDeleteView.as_view(), name="decision_delete"
    ),
    path("decisions/<int:pk>/audit/", meetings.DecisionAuditView.as_view(), name="decision_audit"),
    # Actions of a relationship.
    path("relationships/<int:pk>/actions/", actions.ActionListView.as_view(), name="action_list"),
    path("relationships/<int:pk>/actions/add/", actions.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", actions.ActionEditView.as_view(), name="action_edit"),
    path(
        "actions/<int:pk>/complete/", actions.ActionCompleteView.as_view(), name="action_complete"
    ),
    path("actions/<int:pk>/delete/", actions.ActionDeleteView.as_view(), name="action_delete"),
    path("actions/<int:pk>/audit/", actions.ActionAuditView.as_view(), name="action_audit"),
]
