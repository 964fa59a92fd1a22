from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "gezien.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from gezien.chat.live import agent_read, agent_typing, chat_reply, contacts_told
        from gezien.contacts.changes import on_contacts_changed
        from gezien.contacts.models import Channel
        from gezien.contacts.sending import channel_live_register, sender_register

        # An agent's reply on a chat contact reaches the customer's widget (`chat.{id}` message).
        sender_register(Channel.CHAT, chat_reply)
        # The desk tells a chat customer that an agent types, or has read their messages.
        channel_live_register(Channel.CHAT, on_typing=agent_typing, on_read=agent_read)
        # A status or agent change (closed in the desk, taken, transferred) reaches the widget.
        on_contacts_changed(contacts_told)
