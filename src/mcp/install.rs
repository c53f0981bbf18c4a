//! `miiflow mcp install --client C`: a `miiflow` server entry in an AI client's config file —
//! the absolute path of this binary and its arguments, never a key. The file is edited as a
//! concrete syntax tree (JSON with comments: Zed's and VS Code's files have them): every other
//! byte is kept, the write is atomic, and the file it replaces is kept beside it.

use std::path::{Path, PathBuf};

use jsonc_parser::cst::{CstInputValue, CstRootNode};
use serde_json::{Value, json};

use crate::error::Error;

/// Where a client keeps its MCP servers, and how an entry looks there.
pub(crate) struct Place {
    pub(crate) path: PathBuf,
    /// The object that holds the servers (`mcpServers`, `servers`, `context_servers`).
    pub(crate) key: &'static str,
}

/// An AI client with MCP servers in a config file (`mcp install --client`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Client {
    ClaudeDesktop,
    ClaudeCode,
    Cursor,
    Vscode,
    Zed,
}

impl Client {
    fn name(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "Claude Desktop",
            Client::ClaudeCode => "Claude Code",
            Client::Cursor => "Cursor",
            Client::Vscode => "VS Code",
            Client::Zed => "Zed",
        }
    }
}

/// The client's own config file for this platform and user (its documented place), or
/// `given`.
pub(crate) fn place(client: Client, given: Option<&Path>) -> Result<Place, Error> {
    let key = match client {
        Client::Vscode => "servers",
        Client::Zed => "context_servers",
        _ => "mcpServers",
    };
    if let Some(path) = given {
        return Ok(Place {
            path: path.to_owned(),
            key,
        });
    }
    let dirs = directories::BaseDirs::new().ok_or_else(|| {
        Error::BadInput("no home folder to find the client's config in; give --config PATH".into())
    })?;
    let (home, config) = (dirs.home_dir(), dirs.config_dir());
    let path = match client {
        // macOS: ~/Library/Application Support/Claude; Windows: %APPDATA%\Claude; Linux has
        // no official build: ~/.config/Claude, where the community builds look.
        Client::ClaudeDesktop => config.join("Claude").join("claude_desktop_config.json"),
        // User scope (`claude mcp add --scope user`).
        Client::ClaudeCode => home.join(".claude.json"),
        Client::Cursor => home.join(".cursor").join("mcp.json"),
        // The user profile's mcp.json (Code/User beside settings.json).
        Client::Vscode => config.join("Code").join("User").join("mcp.json"),
        Client::Zed => match cfg!(windows) {
            true => config.join("Zed").join("settings.json"),
            false => home.join(".config").join("zed").join("settings.json"),
        },
    };
    Ok(Place { path, key })
}

/// The server's entry: how this client starts `miiflow mcp serve ARGS…`.
pub(crate) fn entry(client: Client, command: &str, args: &[String]) -> Value {
    match client {
        Client::ClaudeDesktop | Client::Cursor => json!({ "command": command, "args": args }),
        Client::ClaudeCode | Client::Vscode => {
            json!({ "type": "stdio", "command": command, "args": args })
        }
        Client::Zed => json!({ "source": "custom", "command": command, "args": args }),
    }
}

/// A client's entry for a server over HTTP (`mcp serve --http`), with the token taken from
/// where the client keeps secrets, never written in the file.
pub(crate) struct HttpEntry {
    pub(crate) entry: Value,
    /// VS Code: the secret prompt the entry refers to, kept in the file's `inputs`.
    pub(crate) prompt: Option<Value>,
    /// Where the client takes the token from, for the message.
    pub(crate) token_from: String,
}

/// Why a client cannot take an HTTP entry without the token in its file, and what to paste
/// by hand instead (with a placeholder, never a token).
pub(crate) struct Unsupported {
    pub(crate) why: String,
    pub(crate) paste: Option<String>,
}

/// The entry that points `client` at `url`, the token coming from the client's environment
/// reference (`token_env`) or its secret prompt; `Err` for a client that has neither.
pub(crate) fn http_entry(
    client: Client,
    url: &str,
    token_env: &str,
    name: &str,
) -> Result<HttpEntry, Unsupported> {
    let bearer = |reference: &str| json!({ "Authorization": format!("Bearer {reference}") });
    match client {
        // `${VAR}` is expanded in url and headers (Claude Code's MCP docs).
        Client::ClaudeCode => Ok(HttpEntry {
            entry: json!({ "type": "http", "url": url, "headers": bearer(&format!("${{{token_env}}}")) }),
            prompt: None,
            token_from: format!("the environment variable {token_env} of the shell that starts Claude Code"),
        }),
        // `${env:NAME}` is interpolated in url and headers (Cursor's MCP docs).
        Client::Cursor => Ok(HttpEntry {
            entry: json!({ "url": url, "headers": bearer(&format!("${{env:{token_env}}}")) }),
            prompt: None,
            token_from: format!("the environment variable {token_env} of the Cursor process"),
        }),
        // A `promptString` input with `password`: VS Code asks once and keeps it in its
        // secret storage.
        Client::Vscode => {
            let id = format!("{name}-token");
            Ok(HttpEntry {
                entry: json!({ "type": "http", "url": url, "headers": bearer(&format!("${{input:{id}}}")) }),
                prompt: Some(json!({
                    "type": "promptString",
                    "id": id,
                    "description": format!("The bearer token for {url} (miiflow mcp token create NAME)"),
                    "password": true,
                })),
                token_from: "a password prompt when VS Code first starts the server (kept in its secret storage)".into(),
            })
        }
        Client::ClaudeDesktop => Err(Unsupported {
            why: "remote servers are not read from claude_desktop_config.json, and its \
                  connectors (Customize → Connectors) take OAuth, not a bearer token; install the \
                  local server instead: `miiflow mcp install --client claude-desktop` \
                  (without --url)"
                .into(),
            paste: None,
        }),
        Client::Zed => Err(Unsupported {
            why: "a remote server's headers are sent as written in settings.json (no environment \
                  reference, no secret prompt); install the local server instead (`miiflow mcp install --client zed`, without --url), or \
                  paste this into settings.json's \"context_servers\" yourself, with a token of \
                  `miiflow mcp token create`"
                .into(),
            paste: Some(
                serde_json::to_string_pretty(&json!({
                    name: { "url": url, "headers": bearer("<TOKEN>") }
                }))
                .expect("a JSON value"),
            ),
        }),
    }
}

/// What installing did (or would do).
pub(crate) struct Change {
    /// The file written: the config, or the file its symlink points to.
    pub(crate) path: PathBuf,
    pub(crate) created: bool,
    pub(crate) replaced: bool,
    /// The file already held this entry as it is: nothing was written.
    pub(crate) unchanged: bool,
    pub(crate) backup: Option<PathBuf>,
    pub(crate) text: String,
}

/// The largest config file read: a client's config is a few KiB; `/dev/zero` or a log named
/// by mistake is refused instead of read into memory.
const MAX_CONFIG: u64 = 8 * 1024 * 1024;

/// Puts `entry` under `place.key` as `name`, keeping every other byte of the file; with
/// `dry_run` the file is not touched.
///
/// A symlinked config (a dotfiles manager's) is written through: the file it points to is
/// replaced and the link stays. Only a regular file is read (a FIFO would hang, a device never
/// end). The new file keeps the old one's mode and owner (a new one is 0600), or nothing is
/// written. The file it replaces is kept in a backup that is created new, never through a
/// link and never over another file: `FILE.miiflow-backup`, then `.1`, `.2`, … for later
/// changes, so the file as it was before miiflow is never lost.
pub(crate) fn install(
    place: &Place,
    name: &str,
    entry: &Value,
    prompt: Option<&Value>,
    dry_run: bool,
) -> anyhow::Result<Change> {
    let path = crate::fs::resolve(&place.path)
        .map_err(|why| Error::BadInput(format!("{}: {why}", place.path.display())))?;
    let shown = place.path.display().to_string();
    let old = read_existing(&path).map_err(|why| Error::BadInput(format!("{shown}: {why}")))?;
    let text = match &old {
        Some((text, _)) if !text.trim().is_empty() => edited(text, place.key, name, entry, prompt)
            .map_err(|why| Error::BadInput(format!("{shown}: {why}; nothing was changed")))?,
        _ => {
            let mut new = json!({ place.key: { name: entry } });
            if let Some(prompt) = prompt {
                new["inputs"] = json!([prompt]);
            }
            let mut text = serde_json::to_string_pretty(&new)?;
            text.push('\n');
            text
        }
    };
    let replaced = old
        .as_ref()
        .and_then(|(t, _)| CstRootNode::parse(t, &Default::default()).ok())
        .and_then(|root| root.object_value())
        .and_then(|o| o.get(place.key))
        .and_then(|p| p.object_value())
        .is_some_and(|servers| servers.get(name).is_some());
    let mut change = Change {
        path: path.clone(),
        created: old.is_none(),
        replaced,
        unchanged: old.as_ref().is_some_and(|(t, _)| *t == text),
        backup: None,
        text,
    };
    if dry_run || change.unchanged {
        return Ok(change);
    }
    let meta = old.as_ref().map(|(_, meta)| meta);
    if let Some((old, meta)) = &old {
        change.backup = Some(
            backup(&path, old.as_bytes(), meta)
                .map_err(|e| Error::BadInput(format!("{shown}: cannot keep a backup: {e:#}")))?,
        );
    }
    write_atomically(&path, change.text.as_bytes(), meta)
        .map_err(|e| Error::BadInput(format!("{shown}: cannot write: {e:#}")))?;
    Ok(change)
}

/// The config's text and metadata, `None` when there is no file; only a regular file of at
/// most [`MAX_CONFIG`] bytes, opened without waiting (a FIFO) and without following a link.
fn read_existing(path: &Path) -> Result<Option<(String, std::fs::Metadata)>, String> {
    use std::io::Read;
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match open.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(
            "not a regular file (a folder, a FIFO or a device); give the client's JSON \
             config file; nothing was changed"
                .into(),
        );
    }
    if meta.len() > MAX_CONFIG {
        return Err(format!(
            "{} bytes, larger than a client's config can be ({} at most); nothing was changed",
            meta.len(),
            MAX_CONFIG
        ));
    }
    let mut text = String::new();
    file.take(MAX_CONFIG)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(Some((text, meta)))
}

/// Keeps `old` in a new file beside `path` with its mode and owner: the first free name of
/// `FILE.miiflow-backup`, `FILE.miiflow-backup.1`, … (created exclusively: never through a
/// symlink someone left there, never over a file).
fn backup(path: &Path, old: &[u8], meta: &std::fs::Metadata) -> anyhow::Result<PathBuf> {
    use std::io::Write;
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".miiflow-backup");
    for n in 0..1000 {
        let mut this = name.clone();
        if n > 0 {
            this.push(format!(".{n}"));
        }
        let candidate = path.with_file_name(this);
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            open.mode(meta.permissions().mode() & 0o777);
        }
        let mut file = match open.open(&candidate) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", candidate.display())),
        };
        same_owner(&file, meta)?;
        file.write_all(old)?;
        file.sync_all()?;
        return Ok(candidate);
    }
    anyhow::bail!("a thousand backups are there already; remove some")
}

/// Gives `file` the owner of the file it stands for (root installing into another user's
/// config); an error when that cannot be done, so that nothing changes owner.
fn same_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata()?;
        if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid()) {
            std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
                anyhow::anyhow!(
                    "it belongs to user {} and this miiflow cannot keep that owner ({e}); run \
                     install as that user",
                    meta.uid()
                )
            })?;
        }
    }
    #[cfg(not(unix))]
    let _ = (file, meta);
    Ok(())
}

/// `text` with `servers[name] = entry` (and `prompt` in `inputs`, replacing one of the same
/// id), every other byte kept (comments, layout, order).
fn edited(
    text: &str,
    key: &str,
    name: &str,
    entry: &Value,
    prompt: Option<&Value>,
) -> Result<String, String> {
    let root = CstRootNode::parse(text, &Default::default())
        .map_err(|e| format!("not JSON (with comments): {e}"))?;
    let object = root
        .object_value()
        .ok_or_else(|| "not a JSON object at its top".to_owned())?;
    let servers = match object.get(key) {
        Some(prop) => prop
            .object_value()
            .ok_or_else(|| format!("'{key}' is not an object"))?,
        None => object
            .append(key, CstInputValue::Object(Vec::new()))
            .object_value()
            .expect("an object was just appended"),
    };
    // What is already as asked is left byte for byte (the tree would re-indent it).
    match servers.get(name) {
        Some(prop) if prop.value().and_then(|v| v.to_serde_value()).as_ref() == Some(entry) => {}
        Some(prop) => prop.set_value(input(entry)),
        None => {
            servers.append(name, input(entry));
        }
    }
    if let Some(prompt) = prompt {
        let inputs = object
            .array_value_or_create("inputs")
            .ok_or_else(|| "'inputs' is not an array".to_owned())?;
        let same = inputs.elements().into_iter().find_map(|node| {
            let object = node.as_object()?;
            (object.to_serde_value()?.get("id") == prompt.get("id")).then_some(object)
        });
        match same {
            Some(old) if old.to_serde_value().as_ref() == Some(prompt) => {}
            Some(old) => {
                old.replace_with(input(prompt));
            }
            None => {
                inputs.append(input(prompt));
            }
        }
    }
    Ok(root.to_string())
}

/// A JSON value as the syntax tree takes it.
fn input(value: &Value) -> CstInputValue {
    match value {
        Value::Null => CstInputValue::Null,
        Value::Bool(b) => CstInputValue::Bool(*b),
        Value::Number(n) => CstInputValue::Number(n.to_string()),
        Value::String(s) => CstInputValue::String(s.clone()),
        Value::Array(items) => CstInputValue::Array(items.iter().map(input).collect()),
        Value::Object(map) => {
            CstInputValue::Object(map.iter().map(|(k, v)| (k.clone(), input(v))).collect())
        }
    }
}

/// Replaces `path` (no symlink: resolved already) with `bytes` in one rename: a new file in
/// the same folder with the old one's mode and owner, or readable by its owner only.
fn write_atomically(
    path: &Path,
    bytes: &[u8],
    meta: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(crate::fs::TEMP_PREFIX)
        .tempfile_in(dir)?;
    // tempfile makes it 0600 on Unix: a new file stays so.
    if let Some(meta) = meta {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
        same_owner(tmp.as_file(), meta)?;
    }
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)?;
    Ok(())
}

/// The client's name, for messages.
pub(crate) fn client_name(client: Client) -> &'static str {
    client.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_added_keeping_comments_and_other_servers_byte_for_byte() {
        let text = "// my settings\n{\n  \"theme\": \"One Dark\", // keep me\n  \"context_servers\": {\n    \"other\": { \"command\": \"x\" },\n  },\n}\n";
        let entry = entry(
            Client::Zed,
            "/usr/bin/miiflow",
            &["mcp".into(), "serve".into()],
        );
        let out = edited(text, "context_servers", "miiflow", &entry, None).unwrap();
        for kept in [
            "// my settings\n",
            "\"theme\": \"One Dark\", // keep me\n",
            "\"other\": { \"command\": \"x\" },",
        ] {
            assert!(out.contains(kept), "{kept:?} in {out}");
        }
        let back = CstRootNode::parse(&out, &Default::default()).unwrap();
        let value = back.to_serde_value().unwrap();
        assert_eq!(
            value["context_servers"]["miiflow"]["command"],
            "/usr/bin/miiflow"
        );
        assert_eq!(value["context_servers"]["miiflow"]["source"], "custom");
        assert_eq!(value["context_servers"]["other"]["command"], "x");
        // Updating replaces only the entry.
        let again = edited(
            &out,
            "context_servers",
            "miiflow",
            &json!({"command": "/new"}),
            None,
        )
        .unwrap();
        let value = CstRootNode::parse(&again, &Default::default())
            .unwrap()
            .to_serde_value()
            .unwrap();
        assert_eq!(
            value["context_servers"]["miiflow"],
            json!({"command": "/new"})
        );
        assert!(again.starts_with("// my settings\n{\n  \"theme\": \"One Dark\", // keep me\n"));
    }

    #[test]
    fn files_that_are_not_an_object_are_refused() {
        assert!(edited("[1]", "mcpServers", "m", &json!({}), None).is_err());
        assert!(edited("{\"mcpServers\": 3}", "mcpServers", "m", &json!({}), None).is_err());
        assert!(edited("{ nope", "mcpServers", "m", &json!({}), None).is_err());
        let prompt = json!({"id": "m-token"});
        assert!(
            edited(
                "{\"inputs\": {}}",
                "servers",
                "m",
                &json!({}),
                Some(&prompt)
            )
            .is_err()
        );
    }

    #[test]
    fn a_secret_prompt_is_added_to_inputs_once_keeping_the_others() {
        let text = "{\n  // mine\n  \"inputs\": [{\"type\": \"promptString\", \"id\": \"other\"}],\n  \"servers\": {}\n}\n";
        let http = http_entry(Client::Vscode, "http://127.0.0.1:8931/mcp", "T", "m")
            .ok()
            .unwrap();
        let prompt = http.prompt.as_ref().unwrap();
        let once = edited(text, "servers", "m", &http.entry, Some(prompt)).unwrap();
        let twice = edited(&once, "servers", "m", &http.entry, Some(prompt)).unwrap();
        assert_eq!(once, twice);
        assert!(once.contains("// mine"));
        let value = CstRootNode::parse(&once, &Default::default())
            .unwrap()
            .to_serde_value()
            .unwrap();
        assert_eq!(value["inputs"].as_array().unwrap().len(), 2);
        assert_eq!(value["inputs"][0]["id"], "other");
        assert_eq!(value["inputs"][1]["id"], "m-token");
        assert_eq!(value["inputs"][1]["password"], true);
        assert_eq!(
            value["servers"]["m"]["headers"]["Authorization"],
            "Bearer ${input:m-token}"
        );
    }
}
