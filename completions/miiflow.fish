# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_miiflow_global_optspecs
    string join \n profile= base-url= color= v/verbose q/quiet allow-http h/help V/version
end

function __fish_miiflow_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_miiflow_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_miiflow_using_subcommand
    set -l cmd (__fish_miiflow_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c miiflow -n "__fish_miiflow_needs_command" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_needs_command" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_needs_command" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_needs_command" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_needs_command" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_needs_command" -s V -l version -d 'Print version'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "run" -d 'Run a workflow (agent) and print its answer'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "login" -d 'Store an API key for a profile, in the OS keyring'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "logout" -d 'Forget a profile\'s stored key. This does not revoke it on the server (`keys delete` does)'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "status" -d 'Show each profile: base URL, where its key comes from, the key masked, its id and name'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "keys" -d 'Manage API keys on the server (with the active key)'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "token" -d 'Print the API key in use, for scripts (as `gh auth token`)'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "api" -d 'Send an authenticated request to any path of Miiflow\'s API, as `gh api` does'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "history" -d 'Runs recorded on this machine: list them, show one, run one again, clear them'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "agents" -d 'Names for agents and workflows, with default items: `miiflow run NAME`'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "results" -d 'Work with the results files batches write (`run --batch IN -o RESULTS`)'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "mcp" -d 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "version" -d 'Print the version, the commit it was built from, and what was compiled in'
complete -c miiflow -n "__fish_miiflow_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l workflow -d 'Run a workflow over Miiflow\'s second contract: POST {base}/v1/workflows/ID/run with {"input": …}, instead of an agent' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s i -l input -d 'A JSON file with the input; - reads stdin (stdin is read only when asked for)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l text -d 'Send the input as a JSON string, as Miiflow\'s docs\' example does; - reads stdin' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l batch -d 'Run once per line of a JSON-lines or CSV file (- for stdin), items merged into each; one JSON result line per input line, on stdout in input order, or to -o RESULTS as each finishes' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l batch-format -d 'With --batch: the input\'s format [default: csv for a .csv file, else jsonl]' -r -f -a "jsonl\t'One JSON value per line'
csv\t'A header row naming the keys, then one row per run (RFC 4180)'"
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l concurrency -d 'With --batch: how many runs are in flight at once' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l rate -d 'With --batch: start at most N runs per second (N/s) or per minute (N/m), across all workers' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l shard -d 'With --batch: run only the lines whose (line - 1) mod N = I - 1, keeping their line numbers (one job of a CI matrix of N). `auto` reads I and N from GitLab, CircleCI, Buildkite or Cloud Run jobs; `auto/N` the index of a Kubernetes Indexed Job or an AWS Batch array job' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l expect -d 'A jq filter the answer must make true (repeatable): a 2xx answer for which it yields false, null, anything but true, an error or nothing is a failure (exit 1; in a batch, the line\'s). Checked on the answer as received, before --jq' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l expect-schema -d 'A JSON Schema file (draft 7 or 2020-12) a 2xx answer must validate against, else a failure naming where in the answer it does not' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l junit -d 'With --batch: write a JUnit XML report to FILE (one test case per line), at the end and on Ctrl-C' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l html -d 'With --batch: write an HTML report to FILE (one self-contained page: the verdict, counts, a latency histogram, the slowest lines, failures), at the end and on Ctrl-C' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l summary-json -d 'With --batch: also write the closing summary as JSON to FILE (counts by outcome, retries, wall time, throughput, latency percentiles)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l jq -d 'Apply a jq filter to a JSON answer (2xx only), in-process' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s o -l output -d 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l retries -d 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l timeout -d 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line\'s; a quota pause (a long Retry-After) is bounded by it only when it is given' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l resume -d 'With --batch -o RESULTS: keep the results RESULTS already holds for unchanged input lines and run only the rest'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l retry-failed -d '--resume, and also run again the lines whose recorded result failed'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l no-history -d 'Do not record this run (or batch) in the history'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s r -l raw-output -d 'With --jq: print strings without quotes, as jq -r'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s c -l compact-output -d 'With --jq: one compact line per result, as jq -c'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l include -d 'Put the status line and headers before the body'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l dry-run -d 'Print the request that would be sent (key masked) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l curl -d 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l with-key -d 'Read the key from stdin (one trailing newline is dropped)'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l no-verify -d 'Store the key without checking it against the server'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l insecure-storage -d 'Keep the key in a plain file (mode 0600) instead of the OS keyring, for machines that have none. Anyone who can read your files can read the key'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -l all -d 'Forget every profile\'s key'
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand logout" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -l json -d 'Print JSON for scripts'
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -f -a "create" -d 'Create a key on the server and store it as a profile of the same name'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -f -a "list" -d 'List the server\'s keys, marking those stored here'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -f -a "delete" -d 'Revoke a key on the server and forget the local profile that holds it'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -f -a "rotate" -d 'Replace a profile\'s key: create a new one, store it, check it, then delete the old one'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and not __fish_seen_subcommand_from create list delete rotate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l show -d 'Also print the secret on stdout, once'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l no-store -d 'Do not store the key; print it (implies --show)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -l json -d 'Print JSON for scripts'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -l missing-ok -d 'A key that does not exist is not an error (exit 0, nothing to do): for scripts that delete idempotently'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a key on the server and store it as a profile of the same name'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the server\'s keys, marking those stored here'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Revoke a key on the server and forget the local profile that holds it'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace a profile\'s key: create a new one, store it, check it, then delete the old one'
complete -c miiflow -n "__fish_miiflow_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -l show -d 'Print it on a terminal without asking'
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s X -l method -d 'The HTTP method [default: GET, or POST with a body]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s i -l input -d 'A JSON file with the body; - reads stdin' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l jq -d 'Apply a jq filter to a JSON answer (2xx only), in-process' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s o -l output -d 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l retries -d 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l timeout -d 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line\'s; a quota pause (a long Retry-After) is bounded by it only when it is given' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s r -l raw-output -d 'With --jq: print strings without quotes, as jq -r'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s c -l compact-output -d 'With --jq: one compact line per result, as jq -c'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l include -d 'Put the status line and headers before the body'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l dry-run -d 'Print the request that would be sent (key masked) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l curl -d 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand api" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -s n -l limit -d 'How many' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l agent -d 'Only runs of this agent or workflow id (or alias)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l since -d 'Only runs newer than this: 30m, 2h, 1d, 1w' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l failed -d 'Only runs that failed (exit code not 0)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l json -d 'Print JSON, also on a terminal'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "list" -d 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "show" -d 'Show one recorded run: what was sent and what came back'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "clear" -d 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "stats" -d 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "rerun" -d 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and not __fish_seen_subcommand_from list show clear stats rerun help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -s n -l limit -d 'How many' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l agent -d 'Only runs of this agent or workflow id (or alias)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l since -d 'Only runs newer than this: 30m, 2h, 1d, 1w' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l failed -d 'Only runs that failed (exit code not 0)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l json -d 'Print JSON, also on a terminal'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l input -d 'Only the input, its exact bytes (pretty on a terminal)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l output -d 'Only the answer, its exact bytes (pretty on a terminal)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -l older-than -d 'Only runs older than this: 30d, 12h' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -s y -l yes -d 'Do not ask for confirmation'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l agent -d 'Only this agent or workflow id (or alias)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l since -d 'Only runs newer than this: 30m, 2h, 1d, 1w' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l json -d 'Print JSON, also on a terminal'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l jq -d 'Apply a jq filter to a JSON answer (2xx only), in-process' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s o -l output -d 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l retries -d 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l timeout -d 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line\'s; a quota pause (a long Retry-After) is bounded by it only when it is given' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l no-history -d 'Do not record this run in the history'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s r -l raw-output -d 'With --jq: print strings without quotes, as jq -r'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s c -l compact-output -d 'With --jq: one compact line per result, as jq -c'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l include -d 'Put the status line and headers before the body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l dry-run -d 'Print the request that would be sent (key masked) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l curl -d 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from rerun" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "list" -d 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one recorded run: what was sent and what came back'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "rerun" -d 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
complete -c miiflow -n "__fish_miiflow_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -f -a "add" -d 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line\'s merged over them'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -f -a "list" -d 'List the aliases this profile sees (its own, then the global ones)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -f -a "remove" -d 'Remove an alias (with --profile, that profile\'s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and not __fish_seen_subcommand_from add list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l description -d 'What the agent does, in a sentence: shown by `agents list`, and the description AI assistants read (`miiflow mcp serve`)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l param -d 'A parameter the agent takes, NAME:TYPE (TYPE: string, integer, number, boolean, object, array; NAME:TYPE? when it may be left out); repeatable. The input schema AI assistants see (`miiflow mcp serve`)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l output-schema -d 'A JSON Schema (an object\'s) that a 2xx answer must fit: the MCP tool\'s outputSchema; an answer that does not fit is a tool error saying where' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l workflow -d 'ID is a workflow (Miiflow\'s second run contract)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l json -d 'Print JSON for scripts'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l names -d 'Print only the names, one per line (for shell completion)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from help" -f -a "add" -d 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line\'s merged over them'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the aliases this profile sees (its own, then the global ones)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an alias (with --profile, that profile\'s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand agents; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -f -a "merge" -d 'Merge results files (a CI matrix\'s shards, several nights\' runs) into one, in line order'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -f -a "diff" -d 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -f -a "report" -d 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and not __fish_seen_subcommand_from merge diff report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -s o -l output -d 'Write the merged results to OUT (replaced only when complete; it may be one of the FILEs) instead of stdout' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l input -d 'The batch file the results are for: check that every line has a current result' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l batch-format -d 'The batch file\'s format [default: csv for a .csv file, else jsonl]' -r -f -a "jsonl\t'One JSON value per line'
csv\t'A header row naming the keys, then one row per run (RFC 4180)'"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l jq -d 'Compare only what this jq filter yields of each answer (e.g. `.output.answer`)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l fail-on -d 'What makes the diff exit 1: a regression; any change of outcome or answer (regressions included); a regression or a slower line; or never' -r -f -a "regression\t''
change\t''
latency\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l latency-ratio -d 'A line is slower when it took at least R times as long as in BASE (faster at 1/R)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l latency-floor -d 'Lines that took less than this in both runs are never slower or faster (noise)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l junit -d 'Also write a JUnit XML file: one test case per line that differs (a regressed line is a failure there, whatever --fail-on says)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l input -d 'The batch file both ran: the table shows each line\'s first fields' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l batch-format -d 'The batch file\'s format [default: csv for a .csv file, else jsonl]' -r -f -a "jsonl\t'One JSON value per line'
csv\t'A header row naming the keys, then one row per run (RFC 4180)'"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l json -d 'One JSON document on stdout (docs/guide/nightly.md describes it) instead of the table'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -s o -l output -d 'Where the page is written (replaced only when complete)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l baseline -d 'An earlier run\'s results: the page adds what changed since' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l jq -d 'With --baseline: compare only what this jq filter yields of each answer, as `results diff --jq` does (answers carry a run id that differs at every run)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Merge results files (a CI matrix\'s shards, several nights\' runs) into one, in line order'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from help" -f -a "diff" -d 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from help" -f -a "report" -d 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
complete -c miiflow -n "__fish_miiflow_using_subcommand results; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -f -a "token" -d 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -f -a "serve" -d 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -f -a "list-tools" -d 'Show the tools a client would see: names, descriptions and input schemas'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -f -a "install" -d 'Add (or update) a `miiflow` server in an AI client\'s config file: the absolute path of this miiflow and its arguments, never a key'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and not __fish_seen_subcommand_from token serve list-tools install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -f -a "create" -d 'Make a new token (256 random bits) and show it once, alone on stdout'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -f -a "list" -d 'The tokens there are: name, store, when made (never the secret)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'End a token: a server that is running refuses it from its next request'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from token" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l tool -d 'Serve only this alias (repeatable) [default: `[mcp] tools` in config.toml, else every alias the profile sees]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l rate -d 'Start at most N runs per second (N/s) or per minute (N/m), across all calls' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l concurrency -d 'How many runs are in flight at once; more calls wait their turn' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l timeout -d 'Seconds a call may take, retries included [default: 300]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l retries -d 'How often to send again when nothing can have run (as `run --retries`)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l http -d 'Serve over HTTP (MCP\'s Streamable HTTP, at /mcp) on ADDR instead of stdio, e.g. 127.0.0.1:8931 (port 0: a free one; the URL is said on stderr). Every request must carry `Authorization: Bearer TOKEN`, a token of `mcp token create` or MIIFLOW_MCP_TOKEN' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l allow-origin -d 'With --http: a browser origin allowed besides the server\'s own (repeatable), e.g. `https://chat.example.com:443`' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l allow-host -d 'With --http: a name clients reach the server by, taken in the `Host` header besides the bound address (repeatable), e.g. `mcp.example.com` (any port) or `mcp.example.com:8931`: the certificate\'s name, or a proxy\'s' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l tls-cert -d 'With --http: serve https with this certificate chain (PEM; the server\'s first)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l tls-key -d 'With --http: the certificate\'s private key (PEM: PKCS#8, PKCS#1 or SEC1)' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l no-history -d 'Do not record the calls in the history'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l allow-remote -d 'With --http: listen on an address other machines reach (not loopback)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l tool -d 'Only this alias (repeatable), as `mcp serve --tool`' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l json -d 'Print the tools as MCP\'s tools/list gives them (JSON)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from list-tools" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l client -d 'The client whose config to change' -r -f -a "claude-desktop\t''
claude-code\t''
cursor\t''
vscode\t''
zed\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l config -d 'The config file [default: the client\'s own, for this platform and user]' -r -F
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l tool -d 'Serve only this alias (repeatable): added to the server\'s arguments' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l url -d 'Point the client at a server already running over HTTP (`mcp serve --http`), e.g. `http://127.0.0.1:8931/mcp`, instead of having it start one. The token comes from the client\'s environment reference (Claude Code, Cursor) or its secret prompt (VS Code), never from the file' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l token-env -d 'With --url: the environment variable the client reads the token from (Claude Code, Cursor)' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l name -d 'The server\'s name in the client\'s config' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the change and change nothing'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "token" -d 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "list-tools" -d 'Show the tools a client would see: names, descriptions and input schemas'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "install" -d 'Add (or update) a `miiflow` server in an AI client\'s config file: the absolute path of this miiflow and its arguments, never a key'
complete -c miiflow -n "__fish_miiflow_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -l profile -d 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -l base-url -d 'The API\'s base URL [default: $MIIFLOW_BASE_URL, else the profile\'s, else https://api.miiflow.ai]' -r
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -l json -d 'Print JSON for scripts: version, commit, commit date, target, TLS, keyring stores'
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -s v -l verbose -d 'Show request and response headers on stderr (key masked); twice also the request body'
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -s q -l quiet -d 'Print no status line, only errors'
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -l allow-http -d 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
complete -c miiflow -n "__fish_miiflow_using_subcommand version" -s h -l help -d 'Print help'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "run" -d 'Run a workflow (agent) and print its answer'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "login" -d 'Store an API key for a profile, in the OS keyring'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "logout" -d 'Forget a profile\'s stored key. This does not revoke it on the server (`keys delete` does)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "status" -d 'Show each profile: base URL, where its key comes from, the key masked, its id and name'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "keys" -d 'Manage API keys on the server (with the active key)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "token" -d 'Print the API key in use, for scripts (as `gh auth token`)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "api" -d 'Send an authenticated request to any path of Miiflow\'s API, as `gh api` does'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "history" -d 'Runs recorded on this machine: list them, show one, run one again, clear them'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "agents" -d 'Names for agents and workflows, with default items: `miiflow run NAME`'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "results" -d 'Work with the results files batches write (`run --batch IN -o RESULTS`)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "mcp" -d 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "completions" -d 'Print a shell completion script'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "version" -d 'Print the version, the commit it was built from, and what was compiled in'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and not __fish_seen_subcommand_from run login logout status keys token api history agents results mcp completions version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "create" -d 'Create a key on the server and store it as a profile of the same name'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'List the server\'s keys, marking those stored here'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "delete" -d 'Revoke a key on the server and forget the local profile that holds it'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Replace a profile\'s key: create a new one, store it, check it, then delete the old one'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "list" -d 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "show" -d 'Show one recorded run: what was sent and what came back'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "clear" -d 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "stats" -d 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "rerun" -d 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from agents" -f -a "add" -d 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line\'s merged over them'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from agents" -f -a "list" -d 'List the aliases this profile sees (its own, then the global ones)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from agents" -f -a "remove" -d 'Remove an alias (with --profile, that profile\'s)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from results" -f -a "merge" -d 'Merge results files (a CI matrix\'s shards, several nights\' runs) into one, in line order'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from results" -f -a "diff" -d 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from results" -f -a "report" -d 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "token" -d 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "serve" -d 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "list-tools" -d 'Show the tools a client would see: names, descriptions and input schemas'
complete -c miiflow -n "__fish_miiflow_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "install" -d 'Add (or update) a `miiflow` server in an AI client\'s config file: the absolute path of this miiflow and its arguments, never a key'
complete -c miiflow -n "__fish_miiflow_using_subcommand run" -f -a "(miiflow agents list --names 2>/dev/null)" -d 'alias (miiflow agents)'
complete -c miiflow -n "__fish_miiflow_using_subcommand completions" -f -a "bash elvish fish powershell zsh" -d 'shell'
