"""The three-step upload slack_sdk's `files_upload_v2` performs.

1. files.getUploadURLExternal(filename, length) -> upload_url on this same fake + file_id;
2. POST of the raw bytes to upload_url (served by the HTTP server, answered "OK - <n>");
3. files.completeUploadExternal(files=[{"id", "title"}], channel_id | channels, ...) shares the
   files: one message from the bot per conversation, carrying the files. The answer lists the
   files with empty `channels`, as Slack's does (sharing finishes asynchronously there).
Completing the same file twice answers file_not_found, as its upload ticket is used up.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.fakeslack.blockkit import message_block_problems
from bot.sandbox.fakeslack.errors import ApiError, invalid_arguments
from bot.sandbox.fakeslack.methods.common import message_destination, refuse_bad_blocks
from bot.sandbox.fakeslack.model import Channel, JsonDict, SlackFile
from bot.sandbox.fakeslack.webapi import Args, MethodContext

ALT_TEXT_LIMIT = 1000
SHARE_CHANNELS_LIMIT = 100


def files_get_upload_url_external(context: MethodContext, args: Args) -> JsonDict:
    filename = args.required("filename")
    length = args.integer("length", default=0, error="missing_argument")
    if length < 1:
        raise ApiError("missing_argument")
    alt_txt = args.text("alt_txt")
    if alt_txt and len(alt_txt) > ALT_TEXT_LIMIT:
        raise ApiError("alt_txt_too_large")
    upload = context.workspace.new_file(
        filename, length, alt_txt=alt_txt, snippet_type=args.text("snippet_type")
    )
    return {"upload_url": context.endpoints.upload_url(upload.id), "file_id": upload.id}


def files_complete_upload_external(context: MethodContext, args: Args) -> JsonDict:
    uploads = _uploads_to_complete(context, args)
    destinations = _share_destinations(context, args)
    blocks = _share_blocks(args)
    for upload, title in uploads:
        upload.title = title or upload.name
        upload.completed = True
    for channel in destinations:
        context.workspace.post_message(
            channel.id,
            user=context.bot_user_id,
            text=args.text("initial_comment") or "",
            blocks=blocks,
            files=[upload for upload, _ in uploads],
            thread_ts=args.text("thread_ts"),
        )
        for upload, _ in uploads:
            upload.channels.append(channel.id)
    return {"files": [upload.to_api(context.team) for upload, _ in uploads]}


def _uploads_to_complete(context: MethodContext, args: Args) -> list[tuple[SlackFile, str]]:
    entries: Any = args.json("files", error="invalid_arguments")
    if not isinstance(entries, list) or not entries:
        raise invalid_arguments("missing required field: files")
    uploads = []
    for entry in entries:
        if not isinstance(entry, dict) or "id" not in entry:
            raise invalid_arguments("missing required field: id [json-pointer:/files]")
        upload = context.workspace.files.get(str(entry["id"]))
        if upload is None or upload.content is None or upload.completed:
            raise ApiError("file_not_found")
        uploads.append((upload, str(entry.get("title") or "")))
    return uploads


def _share_destinations(context: MethodContext, args: Args) -> list[Channel]:
    wanted = list(dict.fromkeys([*args.id_list("channel_id"), *args.id_list("channels")]))
    if len(wanted) > SHARE_CHANNELS_LIMIT:
        raise ApiError("channels_limit_exceeded")
    destinations = []
    for channel_arg in wanted:
        channel = message_destination(context, channel_arg)
        if channel.is_archived:
            raise ApiError("posting_to_channel_denied")
        if context.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        destinations.append(channel)
    return destinations


def _share_blocks(args: Args) -> list[JsonDict] | None:
    # "If the initial_comment field is provided, the blocks field is ignored."
    if args.text("initial_comment") or "blocks" not in args.raw:
        return None
    blocks = args.json("blocks", error="invalid_blocks")
    refuse_bad_blocks(message_block_problems(blocks))
    return list(blocks)
