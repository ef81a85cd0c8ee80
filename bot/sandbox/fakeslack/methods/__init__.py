"""The Web API methods the fake implements, one module per method family."""

from __future__ import annotations

from bot.sandbox.fakeslack.methods import chat, conversations, files, pins, users, views
from bot.sandbox.fakeslack.webapi import Handler

METHOD_HANDLERS: dict[str, Handler] = {
    "apps.connections.open": users.apps_connections_open,
    "auth.test": users.auth_test,
    "chat.delete": chat.chat_delete,
    "chat.getPermalink": chat.chat_get_permalink,
    "chat.postEphemeral": chat.chat_post_ephemeral,
    "chat.postMessage": chat.chat_post_message,
    "chat.update": chat.chat_update,
    "conversations.archive": conversations.conversations_archive,
    "conversations.create": conversations.conversations_create,
    "conversations.history": conversations.conversations_history,
    "conversations.info": conversations.conversations_info,
    "conversations.invite": conversations.conversations_invite,
    "conversations.join": conversations.conversations_join,
    "conversations.kick": conversations.conversations_kick,
    "conversations.leave": conversations.conversations_leave,
    "conversations.list": conversations.conversations_list,
    "conversations.members": conversations.conversations_members,
    "conversations.open": conversations.conversations_open,
    "conversations.setPurpose": conversations.conversations_set_purpose,
    "conversations.setTopic": conversations.conversations_set_topic,
    "files.completeUploadExternal": files.files_complete_upload_external,
    "files.getUploadURLExternal": files.files_get_upload_url_external,
    "pins.add": pins.pins_add,
    "pins.list": pins.pins_list,
    "pins.remove": pins.pins_remove,
    "users.conversations": users.users_conversations,
    "users.info": users.users_info,
    "users.list": users.users_list,
    "users.lookupByEmail": users.users_lookup_by_email,
    "views.open": views.views_open,
    "views.publish": views.views_publish,
    "views.push": views.views_push,
    "views.update": views.views_update,
}
