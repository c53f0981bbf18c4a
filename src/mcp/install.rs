//! `miiflow mcp install --client C`: a `miiflow` server entry in an AI client's config file —
//! the absolute path of this binary and its arguments, never a key. The file is edited as a
//! concrete syntax tree (JSON with comments: Zed's and VS Code's files have them): every other
//! byte is kept, the write is atomic, and the file it replaces is kept beside it.

use std::path::{Path, PathBuf};

use jsonc_parser::cst::{CstInputValue, CstRootNode};
use serde_json::{Value, json};

use crate::cli::Client;
use crate::error::Error;

/// Where a client keeps its MCP servers, and how an entry looks there.
pub(crate) struct Place {
    pub(crate) path: PathBuf,
    /// The object that holds the servers (`mcpServers`, `servers`, `context_servers`).
    pub(crate) key: &'static str,
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

/// What installing did (or would do).
pub(crate) struct Change {
    pub(crate) path: PathBuf,
    pub(crate) created: bool,
    pub(crate) replaced: bool,
    pub(crate) backup: Option<PathBuf>,
    pub(crate) text: String,
}

/// Puts `entry` under `place.key` as `name`, keeping every other byte of the file; with
/// `dry_run` the file is not touched.
pub(crate) fn install(
    place: &Place,
    name: &str,
    entry: &Value,
    dry_run: bool,
) -> anyhow::Result<Change> {
    let shown = place.path.display().to_string();
    let old = match std::fs::read_to_string(&place.path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::BadInput(format!("{shown}: cannot read: {e}")).into()),
    };
    let text = match &old {
        Some(text) if !text.trim().is_empty() => edited(text, place.key, name, entry)
            .map_err(|why| Error::BadInput(format!("{shown}: {why}; nothing was changed")))?,
        _ => {
            let mut text = serde_json::to_string_pretty(&json!({ place.key: { name: entry } }))?;
            text.push('\n');
            text
        }
    };
    let replaced = old
        .as_deref()
        .and_then(|t| CstRootNode::parse(t, &Default::default()).ok())
        .and_then(|root| root.object_value())
        .and_then(|o| o.get(place.key))
        .and_then(|p| p.object_value())
        .is_some_and(|servers| servers.get(name).is_some());
    let mut change = Change {
        path: place.path.clone(),
        created: old.is_none(),
        replaced,
        backup: None,
        text,
    };
    if dry_run {
        return Ok(change);
    }
    if let Some(old) = &old {
        let backup = backup_path(&place.path);
        std::fs::write(&backup, old).map_err(|e| {
            Error::BadInput(format!("{}: cannot keep a backup: {e}", backup.display()))
        })?;
        change.backup = Some(backup);
    }
    write_atomically(&place.path, change.text.as_bytes())
        .map_err(|e| Error::BadInput(format!("{shown}: cannot write: {e:#}")))?;
    Ok(change)
}

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".miiflow-backup");
    path.with_file_name(name)
}

/// `text` with `servers[name] = entry`, every other byte kept (comments, layout, order).
fn edited(text: &str, key: &str, name: &str, entry: &Value) -> Result<String, String> {
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
    match servers.get(name) {
        Some(prop) => prop.set_value(input(entry)),
        None => {
            servers.append(name, input(entry));
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

/// Replaces `path` with `bytes` in one rename (a new file in the same folder, the old file's
/// permissions kept; a new one readable by its owner only).
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(crate::fs::TEMP_PREFIX)
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    match std::fs::metadata(path) {
        Ok(meta) => std::fs::set_permissions(tmp.path(), meta.permissions())?,
        #[cfg(unix)]
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600))?;
        }
        #[cfg(not(unix))]
        Err(_) => {}
    }
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
        let out = edited(text, "context_servers", "miiflow", &entry).unwrap();
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
        assert!(edited("[1]", "mcpServers", "m", &json!({})).is_err());
        assert!(edited("{\"mcpServers\": 3}", "mcpServers", "m", &json!({})).is_err());
        assert!(edited("{ nope", "mcpServers", "m", &json!({})).is_err());
    }
}
