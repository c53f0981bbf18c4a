//! The tools `miiflow mcp serve` offers: one per alias, named after it, described by its
//! description, its input schema from its declared parameters (`--param city:string`,
//! `--param days:integer?`) or an open object. Pure: what a client sees and what a call sends.

use serde_json::{Map, Value};

use crate::config::{Alias, Config};
use crate::error::Error;
use crate::request::RunTarget;

/// A declared parameter of an alias: `name:type`, `?` at the end when it may be left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}

impl Kind {
    const ALL: [(&'static str, Kind); 6] = [
        ("string", Kind::String),
        ("integer", Kind::Integer),
        ("number", Kind::Number),
        ("boolean", Kind::Boolean),
        ("object", Kind::Object),
        ("array", Kind::Array),
    ];

    fn name(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .expect("every kind is named")
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            Kind::String => value.is_string(),
            Kind::Integer => value.as_number().is_some_and(|n| {
                let text = n.to_string();
                !text.contains(['.', 'e', 'E']) || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }),
            Kind::Number => value.is_number(),
            Kind::Boolean => value.is_boolean(),
            Kind::Object => value.is_object(),
            Kind::Array => value.is_array(),
        }
    }
}

impl std::str::FromStr for Param {
    type Err = String;
    fn from_str(text: &str) -> Result<Param, String> {
        let usage = || {
            format!(
                "--param '{text}': expected NAME:TYPE or NAME:TYPE? (optional), TYPE one of \
                 string, integer, number, boolean, object, array; e.g. city:string, days:integer?"
            )
        };
        let (name, kind) = text.split_once(':').ok_or_else(usage)?;
        let (kind, required) = match kind.strip_suffix('?') {
            Some(k) => (k, false),
            None => (kind, true),
        };
        let kind = Kind::ALL
            .iter()
            .find(|(n, _)| *n == kind)
            .map(|(_, k)| *k)
            .ok_or_else(usage)?;
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !ok {
            return Err(format!(
                "--param '{text}': a parameter's name is 1 to 64 letters, digits, - _ or ."
            ));
        }
        Ok(Param {
            name: name.to_owned(),
            kind,
            required,
        })
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let optional = if self.required { "" } else { "?" };
        write!(f, "{}:{}{optional}", self.name, self.kind.name())
    }
}

/// One tool: an alias as a client sees it, and what a call runs.
#[derive(Debug, Clone)]
pub(crate) struct ToolDef {
    /// The tool's name: the alias, with any character MCP clients refuse (`.`) as `_`.
    pub(crate) name: String,
    pub(crate) alias: String,
    pub(crate) target: RunTarget,
    /// The alias's default items (the call's arguments are merged over them).
    pub(crate) items: Vec<String>,
    pub(crate) description: String,
    pub(crate) params: Vec<Param>,
    /// `agents add --output-schema`: what a 2xx answer must fit.
    pub(crate) output: Option<OutputSchema>,
}

/// An alias's output schema: the JSON object a client is given, and the check a 2xx answer
/// goes through (`--expect-schema`'s: the same validator, the same words for where).
#[derive(Clone)]
pub(crate) struct OutputSchema {
    pub(crate) schema: serde_json::Map<String, serde_json::Value>,
    pub(crate) check: std::sync::Arc<crate::expect::Expectations>,
}

impl std::fmt::Debug for OutputSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutputSchema({})", self.check.describe())
    }
}

impl OutputSchema {
    /// Reads and compiles FILE; MCP wants an object's schema (`"type": "object"`).
    pub(crate) fn read(path: &std::path::Path) -> Result<OutputSchema, Error> {
        let bad =
            |why: String| Error::BadInput(format!("--output-schema {}: {why}", path.display()));
        let text = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let schema = match serde_json::from_slice::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) if map.get("type") == Some(&"object".into()) => map,
            Ok(_) => {
                return Err(bad(
                    "an MCP output schema describes an object: it needs \"type\": \"object\""
                        .into(),
                ));
            }
            Err(e) => return Err(bad(format!("not JSON: {e}"))),
        };
        let check = crate::expect::Expectations::compile(&[], Some(path))?
            .ok_or_else(|| bad("no schema".into()))?;
        Ok(OutputSchema {
            schema,
            check: std::sync::Arc::new(check),
        })
    }
}

impl ToolDef {
    /// The tool's title for people: the description's first sentence (the alias's name when
    /// there is none, or it runs long).
    pub(crate) fn title(&self) -> String {
        let first = self
            .description
            .split(['.', '\n'])
            .next()
            .unwrap_or("")
            .trim();
        match first.is_empty() || first.chars().count() > 80 {
            true => self.alias.clone(),
            false => first.to_owned(),
        }
    }

    /// The tool as clients see it (`tools/list`, `mcp list-tools --json`). Its annotations
    /// say what a call is: it reaches the world outside (a Miiflow run), is not read-only, and
    /// is not idempotent (a repeated call runs the agent again).
    pub(crate) fn to_tool(&self) -> rmcp::model::Tool {
        let hints = rmcp::model::ToolAnnotations::new()
            .read_only(false)
            .idempotent(false)
            .open_world(true);
        let tool = rmcp::model::Tool::new(
            self.name.clone(),
            self.description.clone(),
            std::sync::Arc::new(self.schema()),
        )
        .with_title(self.title())
        .with_annotations(hints);
        match &self.output {
            Some(o) => tool.with_raw_output_schema(std::sync::Arc::new(o.schema.clone())),
            None => tool,
        }
    }

    fn from_alias(name: &str, alias: &Alias) -> Result<ToolDef, Error> {
        let target = alias.target()?;
        let params = alias
            .params
            .iter()
            .map(|p| p.parse().map_err(Error::BadInput))
            .collect::<Result<Vec<Param>, Error>>()?;
        let description = alias.description.clone().unwrap_or_else(|| {
            format!(
                "Runs the Miiflow {} {} and returns its answer (JSON).",
                target.kind(),
                target.id()
            )
        });
        Ok(ToolDef {
            name: name.replace('.', "_"),
            alias: name.to_owned(),
            target,
            items: alias.items.clone(),
            description,
            params,
            output: alias
                .output_schema
                .as_deref()
                .map(|p| OutputSchema::read(std::path::Path::new(p)))
                .transpose()?,
        })
    }

    /// The declared parameters in words (`city:string, days:integer?`), or `any object`.
    pub(crate) fn params_text(&self) -> String {
        match self.params.is_empty() {
            true => "any object".into(),
            false => self
                .params
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The input schema: an object of the declared parameters (the required ones listed),
    /// or any object when none are declared.
    pub(crate) fn schema(&self) -> Map<String, Value> {
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        if self.params.is_empty() {
            return schema;
        }
        let properties: Map<String, Value> = self
            .params
            .iter()
            .map(|p| (p.name.clone(), serde_json::json!({ "type": p.kind.name() })))
            .collect();
        let required: Vec<Value> = self
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.clone().into())
            .collect();
        schema.insert("properties".into(), properties.into());
        if !required.is_empty() {
            schema.insert("required".into(), required.into());
        }
        schema
    }

    /// The arguments of a call, checked against the declared parameters: each required one
    /// given, each given one of its type (undeclared ones pass: the agent decides).
    pub(crate) fn check(&self, args: &Map<String, Value>) -> Result<(), String> {
        for p in &self.params {
            match args.get(&p.name) {
                None | Some(Value::Null) if p.required => {
                    return Err(format!("the argument '{}' is required", p.name));
                }
                Some(v) if !v.is_null() && !p.kind.holds(v) => {
                    return Err(format!(
                        "the argument '{}' must be {} {}",
                        p.name,
                        if p.kind == Kind::Integer
                            || p.kind == Kind::Array
                            || p.kind == Kind::Object
                        {
                            "an"
                        } else {
                            "a"
                        },
                        p.kind.name()
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The tools for `profile`: the names given (`--tool`), else the config's `[mcp] tools`, else
/// every alias the profile sees (its own, then the global ones). A name that is not an alias
/// is refused (exit 2), as are two aliases whose tool names clash.
pub(crate) fn select(
    config: &Config,
    profile: &str,
    wanted: &[String],
) -> Result<Vec<ToolDef>, Error> {
    let mut visible: Vec<(&String, &Alias)> = Vec::new();
    if let Some(p) = config.profile(profile) {
        visible.extend(p.agents.iter());
    }
    for (name, alias) in &config.agents {
        if !visible.iter().any(|(n, _)| *n == name) {
            visible.push((name, alias));
        }
    }
    let configured = config
        .mcp
        .as_ref()
        .map(|m| m.tools.as_slice())
        .unwrap_or_default();
    let names: Vec<&String> = match (wanted, configured) {
        ([], []) => visible.iter().map(|(n, _)| *n).collect(),
        ([], configured) => configured.iter().collect(),
        (wanted, _) => wanted.iter().collect(),
    };
    let mut tools: Vec<ToolDef> = Vec::new();
    for name in names {
        let Some((_, alias)) = visible.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = visible.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Error::BadInput(format!(
                "'{name}' is not an alias of profile '{profile}' (the aliases are: {}); add it \
                 with `miiflow agents add {name} AGENT_ID --description TEXT`",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        };
        let tool = ToolDef::from_alias(name, alias)?;
        if let Some(other) = tools.iter().find(|t| t.name == tool.name) {
            return Err(Error::BadInput(format!(
                "the aliases '{}' and '{}' would both be the tool '{}'",
                other.alias, tool.alias, tool.name
            )));
        }
        tools.push(tool);
    }
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tools)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parse_and_print_back() {
        let p: Param = "days:integer?".parse().unwrap();
        assert_eq!(
            p,
            Param {
                name: "days".into(),
                kind: Kind::Integer,
                required: false
            }
        );
        assert_eq!(p.to_string(), "days:integer?");
        for bad in ["days", "days:int", ":string", "a b:string", "x:string??"] {
            assert!(bad.parse::<Param>().is_err(), "{bad}");
        }
    }

    fn tool(params: &[&str]) -> ToolDef {
        let alias = Alias {
            id: "agent_w".into(),
            params: params.iter().map(|p| p.to_string()).collect(),
            ..Alias::default()
        };
        ToolDef::from_alias("weather.eu", &alias).unwrap()
    }

    #[test]
    fn the_schema_comes_from_the_params_or_is_an_open_object() {
        let t = tool(&["city:string", "days:integer?"]);
        assert_eq!(t.name, "weather_eu");
        assert_eq!(
            Value::Object(t.schema()),
            serde_json::json!({
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                "required": ["city"]
            })
        );
        assert_eq!(
            Value::Object(tool(&[]).schema()),
            serde_json::json!({"type": "object"})
        );
        assert!(t.description.contains("agent agent_w"), "{}", t.description);
    }

    #[test]
    fn the_tools_are_those_named_else_the_configs_list_else_every_alias() {
        let mut config = Config::default();
        let alias = |id: &str| Alias {
            id: id.into(),
            ..Alias::default()
        };
        config.agents.insert("a".into(), alias("agent_a"));
        config.agents.insert("b".into(), alias("agent_b"));
        let mine = config.profiles.entry("work".into()).or_default();
        mine.agents.insert("a".into(), alias("agent_work_a"));
        let names = |tools: Vec<ToolDef>| -> Vec<(String, String)> {
            tools
                .into_iter()
                .map(|t| (t.name, t.target.id().to_owned()))
                .collect()
        };
        let all = names(select(&config, "work", &[]).unwrap());
        assert_eq!(
            all,
            [
                ("a".into(), "agent_work_a".into()),
                ("b".into(), "agent_b".into())
            ],
            "the profile's own alias comes first"
        );
        config.mcp = Some(crate::config::McpConfig {
            tools: vec!["b".into()],
            ..Default::default()
        });
        assert_eq!(names(select(&config, "work", &[]).unwrap()).len(), 1);
        let named = names(select(&config, "default", &["a".into()]).unwrap());
        assert_eq!(named, [("a".into(), "agent_a".into())]);
        let err = select(&config, "default", &["nope".into()]).unwrap_err();
        assert!(err.to_string().contains("the aliases are: a, b"), "{err}");
    }

    #[test]
    fn arguments_are_checked_against_the_params() {
        let t = tool(&["city:string", "days:integer?", "hot:boolean?"]);
        let args = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            t.check(&args(serde_json::json!({"city": "Oslo", "days": 3}))),
            Ok(())
        );
        assert_eq!(
            t.check(&args(serde_json::json!({"city": "Oslo", "extra": [1]}))),
            Ok(())
        );
        assert_eq!(
            t.check(&args(serde_json::json!({"days": 3}))),
            Err("the argument 'city' is required".into())
        );
        assert_eq!(
            t.check(&args(serde_json::json!({"city": "Oslo", "days": 2.5}))),
            Err("the argument 'days' must be an integer".into())
        );
        assert_eq!(
            t.check(&args(serde_json::json!({"city": 7}))),
            Err("the argument 'city' must be a string".into())
        );
    }
}
