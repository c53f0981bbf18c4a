"""Drives `miiflow mcp serve` through the official MCP Python SDK's clients, as an AI
assistant would, and prints what it saw as one JSON object (tests/cli/mcp.rs checks it).

    python client.py MIIFLOW [SERVE_ARGS...]     # stdio: the client starts the server
    python client.py --http URL                  # Streamable HTTP: a server already running,
                                                 # the token in MIIFLOW_MCP_TOKEN

The stdio server inherits this process's environment (the stand-in's base URL, the key, the
config folder with the aliases the test made).
"""

import json
import os
import sys

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def text_of(result):
    return "".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def main():
    seen = {}
    if sys.argv[1] == "--http":
        headers = {"Authorization": "Bearer " + os.environ["MIIFLOW_MCP_TOKEN"]}
        async with create_mcp_http_client(headers=headers) as http:
            async with streamable_http_client(sys.argv[2], http_client=http) as (read, write, *_):
                async with ClientSession(read, write) as session:
                    await scenario(session, seen)
    else:
        params = StdioServerParameters(
            command=sys.argv[1], args=["mcp", "serve", *sys.argv[2:]], env=dict(os.environ)
        )
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await scenario(session, seen)
    print(json.dumps(seen))


async def scenario(session, seen):
    if True:
        if True:
            init = await session.initialize()
            seen["server"] = init.server_info.name
            tools = await session.list_tools()
            seen["tools"] = {
                t.name: {
                    "description": t.description,
                    "schema": t.input_schema,
                    "title": t.title,
                    "annotations": t.annotations.model_dump(by_alias=True, exclude_none=True) if t.annotations else None,
                }
                for t in tools.tools
            }
            ok = await session.call_tool("weather", {"city": "Oslo", "days": 2})
            seen["ok"] = {"error": bool(ok.is_error), "text": text_of(ok), "structured": ok.structured_content}
            fail = await session.call_tool("broken", {})
            seen["fail"] = {"error": bool(fail.is_error), "text": text_of(fail)}
            bad = await session.call_tool("weather", {"days": "two"})
            seen["bad_arguments"] = {"error": bool(bad.is_error), "text": text_of(bad)}
            echo = await session.call_tool("echo", {"secret": os.environ["MIIFLOW_API_KEY"]})
            seen["echo"] = {"error": bool(echo.is_error), "text": text_of(echo), "structured": echo.structured_content}

            # A long run: progress while it is in flight, then the client gives up on it.
            progress = []
            in_flight = anyio.Event()

            async def on_progress(value, total, message):
                progress.append({"progress": value, "message": message})
                in_flight.set()

            async def slow():
                await session.call_tool("slow", {}, progress_callback=on_progress)
                seen["slow_finished"] = True

            with anyio.fail_after(60):
                async with anyio.create_task_group() as group:
                    group.start_soon(slow)
                    await in_flight.wait()
                    group.cancel_scope.cancel()
            seen["progress"] = progress
            after = await session.call_tool("weather", {"city": "Bergen"})
            seen["after_cancel"] = {"error": bool(after.is_error), "text": text_of(after)}


anyio.run(main)
