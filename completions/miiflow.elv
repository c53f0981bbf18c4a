
use builtin;
use str;

set edit:completion:arg-completer[miiflow] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'miiflow'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'miiflow'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Run a workflow (agent) and print its answer'
            cand login 'Store an API key for a profile, in the OS keyring'
            cand logout 'Forget a profile''s stored key. This does not revoke it on the server (`keys delete` does)'
            cand status 'Show each profile: base URL, where its key comes from, the key masked, its id and name'
            cand keys 'Manage API keys on the server (with the active key)'
            cand token 'Print the API key in use, for scripts (as `gh auth token`)'
            cand api 'Send an authenticated request to any path of Miiflow''s API, as `gh api` does'
            cand history 'Runs recorded on this machine: list them, show one, run one again, clear them'
            cand agents 'Names for agents and workflows, with default items: `miiflow run NAME`'
            cand results 'Work with the results files batches write (`run --batch IN -o RESULTS`)'
            cand mcp 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file'
            cand completions 'Print a shell completion script'
            cand version 'Print the version, the commit it was built from, and what was compiled in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;run'= {
            cand --workflow 'Run a workflow over Miiflow''s second contract: POST {base}/v1/workflows/ID/run with {"input": …}, instead of an agent'
            cand -i 'A JSON file with the input; - reads stdin (stdin is read only when asked for)'
            cand --input 'A JSON file with the input; - reads stdin (stdin is read only when asked for)'
            cand --text 'Send the input as a JSON string, as Miiflow''s docs'' example does; - reads stdin'
            cand --batch 'Run once per line of a JSON-lines or CSV file (- for stdin), items merged into each; one JSON result line per input line, on stdout in input order, or to -o RESULTS as each finishes'
            cand --batch-format 'With --batch: the input''s format [default: csv for a .csv file, else jsonl]'
            cand --concurrency 'With --batch: how many runs are in flight at once'
            cand --rate 'With --batch: start at most N runs per second (N/s) or per minute (N/m), across all workers'
            cand --shard 'With --batch: run only the lines whose (line - 1) mod N = I - 1, keeping their line numbers (one job of a CI matrix of N). `auto` reads I and N from GitLab, CircleCI, Buildkite or Cloud Run jobs; `auto/N` the index of a Kubernetes Indexed Job or an AWS Batch array job'
            cand --expect 'A jq filter the answer must make true (repeatable): a 2xx answer for which it yields false, null, anything but true, an error or nothing is a failure (exit 1; in a batch, the line''s). Checked on the answer as received, before --jq'
            cand --expect-schema 'A JSON Schema file (draft 7 or 2020-12) a 2xx answer must validate against, else a failure naming where in the answer it does not'
            cand --junit 'With --batch: write a JUnit XML report to FILE (one test case per line), at the end and on Ctrl-C'
            cand --html 'With --batch: write an HTML report to FILE (one self-contained page: the verdict, counts, a latency histogram, the slowest lines, failures), at the end and on Ctrl-C'
            cand --summary-json 'With --batch: also write the closing summary as JSON to FILE (counts by outcome, retries, wall time, throughput, latency percentiles)'
            cand --jq 'Apply a jq filter to a JSON answer (2xx only), in-process'
            cand -o 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --output 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --retries 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504'
            cand --connect-timeout 'Seconds to wait for a connection'
            cand --timeout 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --resume 'With --batch -o RESULTS: keep the results RESULTS already holds for unchanged input lines and run only the rest'
            cand --retry-failed '--resume, and also run again the lines whose recorded result failed'
            cand --no-history 'Do not record this run (or batch) in the history'
            cand -r 'With --jq: print strings without quotes, as jq -r'
            cand --raw-output 'With --jq: print strings without quotes, as jq -r'
            cand -c 'With --jq: one compact line per result, as jq -c'
            cand --compact-output 'With --jq: one compact line per result, as jq -c'
            cand --include 'Put the status line and headers before the body'
            cand --dry-run 'Print the request that would be sent (key masked) and send nothing'
            cand --curl 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;login'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --with-key 'Read the key from stdin (one trailing newline is dropped)'
            cand --no-verify 'Store the key without checking it against the server'
            cand --insecure-storage 'Keep the key in a plain file (mode 0600) instead of the OS keyring, for machines that have none. Anyone who can read your files can read the key'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;logout'= {
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --all 'Forget every profile''s key'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;status'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --json 'Print JSON for scripts'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;keys'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand create 'Create a key on the server and store it as a profile of the same name'
            cand list 'List the server''s keys, marking those stored here'
            cand delete 'Revoke a key on the server and forget the local profile that holds it'
            cand rotate 'Replace a profile''s key: create a new one, store it, check it, then delete the old one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;keys;create'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --show 'Also print the secret on stdout, once'
            cand --no-store 'Do not store the key; print it (implies --show)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;keys;list'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --json 'Print JSON for scripts'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;keys;delete'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --missing-ok 'A key that does not exist is not an error (exit 0, nothing to do): for scripts that delete idempotently'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;keys;rotate'= {
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;keys;help'= {
            cand create 'Create a key on the server and store it as a profile of the same name'
            cand list 'List the server''s keys, marking those stored here'
            cand delete 'Revoke a key on the server and forget the local profile that holds it'
            cand rotate 'Replace a profile''s key: create a new one, store it, check it, then delete the old one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;keys;help;create'= {
        }
        &'miiflow;keys;help;list'= {
        }
        &'miiflow;keys;help;delete'= {
        }
        &'miiflow;keys;help;rotate'= {
        }
        &'miiflow;keys;help;help'= {
        }
        &'miiflow;token'= {
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --show 'Print it on a terminal without asking'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;api'= {
            cand -X 'The HTTP method [default: GET, or POST with a body]'
            cand --method 'The HTTP method [default: GET, or POST with a body]'
            cand -i 'A JSON file with the body; - reads stdin'
            cand --input 'A JSON file with the body; - reads stdin'
            cand --jq 'Apply a jq filter to a JSON answer (2xx only), in-process'
            cand -o 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --output 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --retries 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504'
            cand --connect-timeout 'Seconds to wait for a connection'
            cand --timeout 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -r 'With --jq: print strings without quotes, as jq -r'
            cand --raw-output 'With --jq: print strings without quotes, as jq -r'
            cand -c 'With --jq: one compact line per result, as jq -c'
            cand --compact-output 'With --jq: one compact line per result, as jq -c'
            cand --include 'Put the status line and headers before the body'
            cand --dry-run 'Print the request that would be sent (key masked) and send nothing'
            cand --curl 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;history'= {
            cand -n 'How many'
            cand --limit 'How many'
            cand --agent 'Only runs of this agent or workflow id (or alias)'
            cand --since 'Only runs newer than this: 30m, 2h, 1d, 1w'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --failed 'Only runs that failed (exit code not 0)'
            cand --json 'Print JSON, also on a terminal'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
            cand show 'Show one recorded run: what was sent and what came back'
            cand clear 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
            cand stats 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
            cand rerun 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;history;list'= {
            cand -n 'How many'
            cand --limit 'How many'
            cand --agent 'Only runs of this agent or workflow id (or alias)'
            cand --since 'Only runs newer than this: 30m, 2h, 1d, 1w'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --failed 'Only runs that failed (exit code not 0)'
            cand --json 'Print JSON, also on a terminal'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;history;show'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --input 'Only the input, its exact bytes (pretty on a terminal)'
            cand --output 'Only the answer, its exact bytes (pretty on a terminal)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;history;clear'= {
            cand --older-than 'Only runs older than this: 30d, 12h'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;history;stats'= {
            cand --agent 'Only this agent or workflow id (or alias)'
            cand --since 'Only runs newer than this: 30m, 2h, 1d, 1w'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --json 'Print JSON, also on a terminal'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;history;rerun'= {
            cand --jq 'Apply a jq filter to a JSON answer (2xx only), in-process'
            cand -o 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --output 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)'
            cand --retries 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504'
            cand --connect-timeout 'Seconds to wait for a connection'
            cand --timeout 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --no-history 'Do not record this run in the history'
            cand -r 'With --jq: print strings without quotes, as jq -r'
            cand --raw-output 'With --jq: print strings without quotes, as jq -r'
            cand -c 'With --jq: one compact line per result, as jq -c'
            cand --compact-output 'With --jq: one compact line per result, as jq -c'
            cand --include 'Put the status line and headers before the body'
            cand --dry-run 'Print the request that would be sent (key masked) and send nothing'
            cand --curl 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;history;help'= {
            cand list 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
            cand show 'Show one recorded run: what was sent and what came back'
            cand clear 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
            cand stats 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
            cand rerun 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;history;help;list'= {
        }
        &'miiflow;history;help;show'= {
        }
        &'miiflow;history;help;clear'= {
        }
        &'miiflow;history;help;stats'= {
        }
        &'miiflow;history;help;rerun'= {
        }
        &'miiflow;history;help;help'= {
        }
        &'miiflow;agents'= {
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them'
            cand list 'List the aliases this profile sees (its own, then the global ones)'
            cand remove 'Remove an alias (with --profile, that profile''s)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;agents;add'= {
            cand --description 'What the agent does, in a sentence: shown by `agents list`, and the description AI assistants read (`miiflow mcp serve`)'
            cand --param 'A parameter the agent takes, NAME:TYPE (TYPE: string, integer, number, boolean, object, array; NAME:TYPE? when it may be left out); repeatable. The input schema AI assistants see (`miiflow mcp serve`)'
            cand --output-schema 'A JSON Schema (an object''s) that a 2xx answer must fit: the MCP tool''s outputSchema; an answer that does not fit is a tool error saying where'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --workflow 'ID is a workflow (Miiflow''s second run contract)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;agents;list'= {
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --json 'Print JSON for scripts'
            cand --names 'Print only the names, one per line (for shell completion)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;agents;remove'= {
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;agents;help'= {
            cand add 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them'
            cand list 'List the aliases this profile sees (its own, then the global ones)'
            cand remove 'Remove an alias (with --profile, that profile''s)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;agents;help;add'= {
        }
        &'miiflow;agents;help;list'= {
        }
        &'miiflow;agents;help;remove'= {
        }
        &'miiflow;agents;help;help'= {
        }
        &'miiflow;results'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand merge 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order'
            cand diff 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
            cand report 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;results;merge'= {
            cand -o 'Write the merged results to OUT (replaced only when complete; it may be one of the FILEs) instead of stdout'
            cand --output 'Write the merged results to OUT (replaced only when complete; it may be one of the FILEs) instead of stdout'
            cand --input 'The batch file the results are for: check that every line has a current result'
            cand --batch-format 'The batch file''s format [default: csv for a .csv file, else jsonl]'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;results;diff'= {
            cand --jq 'Compare only what this jq filter yields of each answer (e.g. `.output.answer`)'
            cand --fail-on 'What makes the diff exit 1: a regression; any change of outcome or answer (regressions included); a regression or a slower line; or never'
            cand --latency-ratio 'A line is slower when it took at least R times as long as in BASE (faster at 1/R)'
            cand --latency-floor 'Lines that took less than this in both runs are never slower or faster (noise)'
            cand --junit 'Also write a JUnit XML file: one test case per line that differs (a regressed line is a failure there, whatever --fail-on says)'
            cand --input 'The batch file both ran: the table shows each line''s first fields'
            cand --batch-format 'The batch file''s format [default: csv for a .csv file, else jsonl]'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --json 'One JSON document on stdout (docs/guide/nightly.md describes it) instead of the table'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;results;report'= {
            cand -o 'Where the page is written (replaced only when complete)'
            cand --output 'Where the page is written (replaced only when complete)'
            cand --baseline 'An earlier run''s results: the page adds what changed since'
            cand --jq 'With --baseline: compare only what this jq filter yields of each answer, as `results diff --jq` does (answers carry a run id that differs at every run)'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;results;help'= {
            cand merge 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order'
            cand diff 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
            cand report 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;results;help;merge'= {
        }
        &'miiflow;results;help;diff'= {
        }
        &'miiflow;results;help;report'= {
        }
        &'miiflow;results;help;help'= {
        }
        &'miiflow;mcp'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand token 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
            cand serve 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
            cand list-tools 'Show the tools a client would see: names, descriptions and input schemas'
            cand install 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;mcp;token'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Make a new token (256 random bits) and show it once, alone on stdout'
            cand list 'The tokens there are: name, store, when made (never the secret)'
            cand revoke 'End a token: a server that is running refuses it from its next request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;mcp;token;create'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --insecure-storage 'Keep it in a plain file (mode 0600) instead of the OS keyring'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;mcp;token;list'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;mcp;token;revoke'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;mcp;token;help'= {
            cand create 'Make a new token (256 random bits) and show it once, alone on stdout'
            cand list 'The tokens there are: name, store, when made (never the secret)'
            cand revoke 'End a token: a server that is running refuses it from its next request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;mcp;token;help;create'= {
        }
        &'miiflow;mcp;token;help;list'= {
        }
        &'miiflow;mcp;token;help;revoke'= {
        }
        &'miiflow;mcp;token;help;help'= {
        }
        &'miiflow;mcp;serve'= {
            cand --tool 'Serve only this alias (repeatable) [default: `[mcp] tools` in config.toml, else every alias the profile sees]'
            cand --rate 'Start at most N runs per second (N/s) or per minute (N/m), across all calls'
            cand --concurrency 'How many runs are in flight at once; more calls wait their turn'
            cand --timeout 'Seconds a call may take, retries included [default: 300]'
            cand --retries 'How often to send again when nothing can have run (as `run --retries`)'
            cand --http 'Serve over HTTP (MCP''s Streamable HTTP, at /mcp) on ADDR instead of stdio, e.g. 127.0.0.1:8931 (port 0: a free one; the URL is said on stderr). Every request must carry `Authorization: Bearer TOKEN`, a token of `mcp token create` or MIIFLOW_MCP_TOKEN'
            cand --allow-origin 'With --http: a browser origin allowed besides the server''s own (repeatable), e.g. `https://chat.example.com:443`'
            cand --allow-host 'With --http: a name clients reach the server by, taken in the `Host` header besides the bound address (repeatable), e.g. `mcp.example.com` (any port) or `mcp.example.com:8931`: the certificate''s name, or a proxy''s'
            cand --tls-cert 'With --http: serve https with this certificate chain (PEM; the server''s first)'
            cand --tls-key 'With --http: the certificate''s private key (PEM: PKCS#8, PKCS#1 or SEC1)'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --no-history 'Do not record the calls in the history'
            cand --allow-remote 'With --http: listen on an address other machines reach (not loopback)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;mcp;list-tools'= {
            cand --tool 'Only this alias (repeatable), as `mcp serve --tool`'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --json 'Print the tools as MCP''s tools/list gives them (JSON)'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;mcp;install'= {
            cand --client 'The client whose config to change'
            cand --config 'The config file [default: the client''s own, for this platform and user]'
            cand --tool 'Serve only this alias (repeatable): added to the server''s arguments'
            cand --url 'Point the client at a server already running over HTTP (`mcp serve --http`), e.g. `http://127.0.0.1:8931/mcp`, instead of having it start one. The token comes from the client''s environment reference (Claude Code, Cursor) or its secret prompt (VS Code), never from the file'
            cand --token-env 'With --url: the environment variable the client reads the token from (Claude Code, Cursor)'
            cand --name 'The server''s name in the client''s config'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --dry-run 'Print the change and change nothing'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;mcp;help'= {
            cand token 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
            cand serve 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
            cand list-tools 'Show the tools a client would see: names, descriptions and input schemas'
            cand install 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;mcp;help;token'= {
            cand create 'Make a new token (256 random bits) and show it once, alone on stdout'
            cand list 'The tokens there are: name, store, when made (never the secret)'
            cand revoke 'End a token: a server that is running refuses it from its next request'
        }
        &'miiflow;mcp;help;token;create'= {
        }
        &'miiflow;mcp;help;token;list'= {
        }
        &'miiflow;mcp;help;token;revoke'= {
        }
        &'miiflow;mcp;help;serve'= {
        }
        &'miiflow;mcp;help;list-tools'= {
        }
        &'miiflow;mcp;help;install'= {
        }
        &'miiflow;mcp;help;help'= {
        }
        &'miiflow;completions'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'miiflow;version'= {
            cand --profile 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]'
            cand --base-url 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]'
            cand --color 'When to colour output'
            cand --json 'Print JSON for scripts: version, commit, commit date, target, TLS, keyring stores'
            cand -v 'Show request and response headers on stderr (key masked); twice also the request body'
            cand --verbose 'Show request and response headers on stderr (key masked); twice also the request body'
            cand -q 'Print no status line, only errors'
            cand --quiet 'Print no status line, only errors'
            cand --allow-http 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'miiflow;help'= {
            cand run 'Run a workflow (agent) and print its answer'
            cand login 'Store an API key for a profile, in the OS keyring'
            cand logout 'Forget a profile''s stored key. This does not revoke it on the server (`keys delete` does)'
            cand status 'Show each profile: base URL, where its key comes from, the key masked, its id and name'
            cand keys 'Manage API keys on the server (with the active key)'
            cand token 'Print the API key in use, for scripts (as `gh auth token`)'
            cand api 'Send an authenticated request to any path of Miiflow''s API, as `gh api` does'
            cand history 'Runs recorded on this machine: list them, show one, run one again, clear them'
            cand agents 'Names for agents and workflows, with default items: `miiflow run NAME`'
            cand results 'Work with the results files batches write (`run --batch IN -o RESULTS`)'
            cand mcp 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file'
            cand completions 'Print a shell completion script'
            cand version 'Print the version, the commit it was built from, and what was compiled in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'miiflow;help;run'= {
        }
        &'miiflow;help;login'= {
        }
        &'miiflow;help;logout'= {
        }
        &'miiflow;help;status'= {
        }
        &'miiflow;help;keys'= {
            cand create 'Create a key on the server and store it as a profile of the same name'
            cand list 'List the server''s keys, marking those stored here'
            cand delete 'Revoke a key on the server and forget the local profile that holds it'
            cand rotate 'Replace a profile''s key: create a new one, store it, check it, then delete the old one'
        }
        &'miiflow;help;keys;create'= {
        }
        &'miiflow;help;keys;list'= {
        }
        &'miiflow;help;keys;delete'= {
        }
        &'miiflow;help;keys;rotate'= {
        }
        &'miiflow;help;token'= {
        }
        &'miiflow;help;api'= {
        }
        &'miiflow;help;history'= {
            cand list 'List recorded runs, newest first: a table on a terminal, JSON otherwise'
            cand show 'Show one recorded run: what was sent and what came back'
            cand clear 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)'
            cand stats 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise'
            cand rerun 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)'
        }
        &'miiflow;help;history;list'= {
        }
        &'miiflow;help;history;show'= {
        }
        &'miiflow;help;history;clear'= {
        }
        &'miiflow;help;history;stats'= {
        }
        &'miiflow;help;history;rerun'= {
        }
        &'miiflow;help;agents'= {
            cand add 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them'
            cand list 'List the aliases this profile sees (its own, then the global ones)'
            cand remove 'Remove an alias (with --profile, that profile''s)'
        }
        &'miiflow;help;agents;add'= {
        }
        &'miiflow;help;agents;list'= {
        }
        &'miiflow;help;agents;remove'= {
        }
        &'miiflow;help;results'= {
            cand merge 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order'
            cand diff 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio'
            cand report 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)'
        }
        &'miiflow;help;results;merge'= {
        }
        &'miiflow;help;results;diff'= {
        }
        &'miiflow;help;results;report'= {
        }
        &'miiflow;help;mcp'= {
            cand token 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests'
            cand serve 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http'
            cand list-tools 'Show the tools a client would see: names, descriptions and input schemas'
            cand install 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key'
        }
        &'miiflow;help;mcp;token'= {
            cand create 'Make a new token (256 random bits) and show it once, alone on stdout'
            cand list 'The tokens there are: name, store, when made (never the secret)'
            cand revoke 'End a token: a server that is running refuses it from its next request'
        }
        &'miiflow;help;mcp;token;create'= {
        }
        &'miiflow;help;mcp;token;list'= {
        }
        &'miiflow;help;mcp;token;revoke'= {
        }
        &'miiflow;help;mcp;serve'= {
        }
        &'miiflow;help;mcp;list-tools'= {
        }
        &'miiflow;help;mcp;install'= {
        }
        &'miiflow;help;completions'= {
        }
        &'miiflow;help;version'= {
        }
        &'miiflow;help;help'= {
        }
    ]
    $completions[$command]
}
