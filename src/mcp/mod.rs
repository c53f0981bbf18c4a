//! Miiflow agents as tools for AI assistants, over the Model Context Protocol: the tools
//! (from aliases), the server on stdio and over HTTP, and the clients' config files.

pub(crate) mod http;
pub(crate) mod install;
pub(crate) mod serve;
mod stdio;
pub(crate) mod tokens;
pub(crate) mod tools;
