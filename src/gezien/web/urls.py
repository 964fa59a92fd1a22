from django.urls import path

from gezien.web.views import (
    account,
    assist,
    attachments,
    audit,
    chat,
    churn,
    coaching,
    coaching_library,
    contact,
    customers,
    departments,
    desk,
    insights,
    knowledge,
    live,
    mail,
    passkeys,
    phone,
    planning,
    practice,
    presence,
    privacy,
    recordings,
    replies,
    resolution,
    rootcause,
    routing,
    settings,
    sla,
    surveys,
    tokens,
    webform,
    webhooks,
    wellbeing,
    widget,
    workspace,
)

app_name = "desk"

urlpatterns = [
    path("desk/", desk.queue_view, name="queue"),
    path("desk/queue-table/", desk.queue_table, name="queue_table"),
    path("desk/call/", desk.incoming_call, name="incoming_call"),
    path("desk/calls/ringing/", desk.calls_ringing, name="calls_ringing"),
    path("desk/calls/<id:call_id>/popup/", desk.call_popup, name="call_popup"),
    path("desk/contacts/<id:contact_id>/", contact.contact_view, name="contact"),
    path("desk/contacts/<id:contact_id>/reply/", contact.reply, name="reply"),
    path("desk/contacts/<id:contact_id>/messages/<id:message_id>/resend/", contact.resend, name="resend"),
    path("desk/contacts/<id:contact_id>/transcript/", contact.transcript, name="transcript"),
    path("desk/contacts/<id:contact_id>/status/", contact.change_status, name="status"),
    path("desk/contacts/<id:contact_id>/reason/", contact.change_reason, name="reason"),
    path("desk/contacts/<id:contact_id>/summary/", contact.change_summary, name="summary"),
    path("desk/contacts/<id:contact_id>/transfer/", contact.transfer, name="transfer"),
    path("desk/contacts/<id:contact_id>/take/", contact.take, name="take"),
    path("desk/contacts/<id:contact_id>/link/", contact.link, name="link"),
    path("desk/contacts/<id:contact_id>/new-customer/", contact.create_and_link, name="create_and_link"),
    path("desk/messages/<id:message_id>/corrections/", contact.correct_signal, name="correct_signal"),
    path("desk/attachments/<id:attachment_id>/", attachments.download, name="attachment"),
    path("desk/contacts/<id:contact_id>/recordings/", recordings.upload, name="recording_upload"),
    path("desk/recordings/<id:recording_id>/audio/", recordings.audio, name="recording_audio"),
    path("desk/recordings/<id:recording_id>/delete/", recordings.delete, name="recording_delete"),
    path("desk/recordings/<id:recording_id>/transcript/", recordings.transcribe, name="recording_transcribe"),
    path("customers/", customers.search, name="customers"),
    path("customers/new/", customers.create, name="customer_new"),
    path("customers/<id:customer_id>/", customers.detail, name="customer"),
    path("customers/<id:customer_id>/edit/", customers.edit, name="customer_edit"),
    path("customers/<id:customer_id>/identities/", customers.identity_add, name="identity_add"),
    path(
        "customers/<id:customer_id>/identities/<id:identity_id>/delete/",
        customers.identity_delete,
        name="identity_delete",
    ),
    path("customers/<id:customer_id>/details/", customers.detail_add, name="detail_add"),
    path("customers/<id:customer_id>/details/<id:detail_id>/", customers.detail_edit, name="detail_edit"),
    path(
        "customers/<id:customer_id>/details/<id:detail_id>/delete/",
        customers.detail_delete,
        name="detail_delete",
    ),
]
urlpatterns += [*assist.urls, *knowledge.urls, *replies.urls, *routing.urls]
# The live workspace (issue 15)
urlpatterns += workspace.urls
urlpatterns += phone.urls
# Insights (issue 5)
urlpatterns += [
    *insights.urls,
    *sla.urls,
    *surveys.urls,
    *resolution.urls,
    *rootcause.urls,
    *departments.urls,
    *churn.urls,
]
# Workforce (issue 6)
urlpatterns += [*presence.urls, *planning.urls, *wellbeing.urls]
# Coaching on the empathy habits (issue 19)
urlpatterns += coaching.urls
urlpatterns += coaching_library.urls
# E-mail (issue 14)
urlpatterns += mail.urls
# Chat (issue 15): the widgets
urlpatterns += chat.urls
# The public contact form and events out (issue 15)
urlpatterns += [*webform.urls, *webhooks.urls]
# API tokens (issue 17)
urlpatterns += tokens.urls
# Chat widget (issue 15)
urlpatterns += widget.urls
# The live desk (issue 15)
urlpatterns += live.urls
# Privacy (issue 17): export, erasure, redaction
urlpatterns += privacy.urls
# The audit log (issue 17)
urlpatterns += audit.urls
# The desk's settings (issue 20)
urlpatterns += settings.urls
# Sign-in and accounts (issue 17): Mijn account, two-factor set-up, the administrators' people page
urlpatterns += account.urls
urlpatterns += practice.urls  # issue 19: the practice room (Oefenruimte)
urlpatterns += passkeys.urls  # one's passkeys (WebAuthn)
