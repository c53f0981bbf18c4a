//! `miiflow results merge`: the results of a batch's shards as one RESULTS file.

use crate::cli::{ResultsCommand, ResultsMergeArgs};
use crate::results::merge::{self, Merge};
use crate::ui::Ui;

pub(crate) fn run(ui: &Ui, command: ResultsCommand) -> anyhow::Result<()> {
    match command {
        ResultsCommand::Merge(args) => self::merge(ui, &args),
    }
}

fn merge(ui: &Ui, args: &ResultsMergeArgs) -> anyhow::Result<()> {
    merge::merge(
        ui,
        Merge {
            files: &args.files,
            output: args.output.as_deref(),
            input: args.input.as_deref(),
            format: args.batch_format.map(Into::into),
        },
    )
}
