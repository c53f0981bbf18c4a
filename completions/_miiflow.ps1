
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'miiflow' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'miiflow'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'miiflow' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a workflow (agent) and print its answer')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store an API key for a profile, in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget a profile''s stored key. This does not revoke it on the server (`keys delete` does)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each profile: base URL, where its key comes from, the key masked, its id and name')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage API keys on the server (with the active key)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the API key in use, for scripts (as `gh auth token`)')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Send an authenticated request to any path of Miiflow''s API, as `gh api` does')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Runs recorded on this machine: list them, show one, run one again, clear them')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'Names for agents and workflows, with default items: `miiflow run NAME`')
            [CompletionResult]::new('results', 'results', [CompletionResultType]::ParameterValue, 'Work with the results files batches write (`run --batch IN -o RESULTS`)')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit it was built from, and what was compiled in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;run' {
            [CompletionResult]::new('--workflow', '--workflow', [CompletionResultType]::ParameterName, 'Run a workflow over Miiflow''s second contract: POST {base}/v1/workflows/ID/run with {"input": …}, instead of an agent')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A JSON file with the input; - reads stdin (stdin is read only when asked for)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'A JSON file with the input; - reads stdin (stdin is read only when asked for)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Send the input as a JSON string, as Miiflow''s docs'' example does; - reads stdin')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Run once per line of a JSON-lines or CSV file (- for stdin), items merged into each; one JSON result line per input line, on stdout in input order, or to -o RESULTS as each finishes')
            [CompletionResult]::new('--batch-format', '--batch-format', [CompletionResultType]::ParameterName, 'With --batch: the input''s format [default: csv for a .csv file, else jsonl]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'With --batch: how many runs are in flight at once')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'With --batch: start at most N runs per second (N/s) or per minute (N/m), across all workers')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'With --batch: run only the lines whose (line - 1) mod N = I - 1, keeping their line numbers (one job of a CI matrix of N). `auto` reads I and N from GitLab, CircleCI, Buildkite or Cloud Run jobs; `auto/N` the index of a Kubernetes Indexed Job or an AWS Batch array job')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'A jq filter the answer must make true (repeatable): a 2xx answer for which it yields false, null, anything but true, an error or nothing is a failure (exit 1; in a batch, the line''s). Checked on the answer as received, before --jq')
            [CompletionResult]::new('--expect-schema', '--expect-schema', [CompletionResultType]::ParameterName, 'A JSON Schema file (draft 7 or 2020-12) a 2xx answer must validate against, else a failure naming where in the answer it does not')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'With --batch: write a JUnit XML report to FILE (one test case per line), at the end and on Ctrl-C')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'With --batch: write an HTML report to FILE (one self-contained page: the verdict, counts, a latency histogram, the slowest lines, failures), at the end and on Ctrl-C')
            [CompletionResult]::new('--summary-json', '--summary-json', [CompletionResultType]::ParameterName, 'With --batch: also write the closing summary as JSON to FILE (counts by outcome, retries, wall time, throughput, latency percentiles)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Apply a jq filter to a JSON answer (2xx only), in-process')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'With --batch -o RESULTS: keep the results RESULTS already holds for unchanged input lines and run only the rest')
            [CompletionResult]::new('--retry-failed', '--retry-failed', [CompletionResultType]::ParameterName, '--resume, and also run again the lines whose recorded result failed')
            [CompletionResult]::new('--no-history', '--no-history', [CompletionResultType]::ParameterName, 'Do not record this run (or batch) in the history')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Put the status line and headers before the body')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (key masked) and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;login' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--with-key', '--with-key', [CompletionResultType]::ParameterName, 'Read the key from stdin (one trailing newline is dropped)')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store the key without checking it against the server')
            [CompletionResult]::new('--insecure-storage', '--insecure-storage', [CompletionResultType]::ParameterName, 'Keep the key in a plain file (mode 0600) instead of the OS keyring, for machines that have none. Anyone who can read your files can read the key')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;logout' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Forget every profile''s key')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;status' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;keys' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key on the server and store it as a profile of the same name')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the server''s keys, marking those stored here')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Revoke a key on the server and forget the local profile that holds it')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a profile''s key: create a new one, store it, check it, then delete the old one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;keys;create' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--show', '--show', [CompletionResultType]::ParameterName, 'Also print the secret on stdout, once')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Do not store the key; print it (implies --show)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;keys;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;keys;delete' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'A key that does not exist is not an error (exit 0, nothing to do): for scripts that delete idempotently')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;keys;rotate' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;keys;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key on the server and store it as a profile of the same name')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the server''s keys, marking those stored here')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Revoke a key on the server and forget the local profile that holds it')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a profile''s key: create a new one, store it, check it, then delete the old one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;keys;help;create' {
            break
        }
        'miiflow;keys;help;list' {
            break
        }
        'miiflow;keys;help;delete' {
            break
        }
        'miiflow;keys;help;rotate' {
            break
        }
        'miiflow;keys;help;help' {
            break
        }
        'miiflow;token' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--show', '--show', [CompletionResultType]::ParameterName, 'Print it on a terminal without asking')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;api' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'The HTTP method [default: GET, or POST with a body]')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The HTTP method [default: GET, or POST with a body]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A JSON file with the body; - reads stdin')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'A JSON file with the body; - reads stdin')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Apply a jq filter to a JSON answer (2xx only), in-process')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Put the status line and headers before the body')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (key masked) and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;history' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only runs of this agent or workflow id (or alias)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only runs newer than this: 30m, 2h, 1d, 1w')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only runs that failed (exit code not 0)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON, also on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded runs, newest first: a table on a terminal, JSON otherwise')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one recorded run: what was sent and what came back')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;history;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only runs of this agent or workflow id (or alias)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only runs newer than this: 30m, 2h, 1d, 1w')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only runs that failed (exit code not 0)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON, also on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;history;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Only the input, its exact bytes (pretty on a terminal)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Only the answer, its exact bytes (pretty on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;history;clear' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only runs older than this: 30d, 12h')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;history;stats' {
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only this agent or workflow id (or alias)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only runs newer than this: 30m, 2h, 1d, 1w')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON, also on a terminal')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;history;rerun' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Apply a jq filter to a JSON answer (2xx only), in-process')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with --batch, the results, as they finish (see --resume)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to send again when nothing can have run: the connection was refused, or the server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff); for GET and HEAD also 502 and 504')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole run may take, retries included; 0 means no limit [default: 600]. In a batch, each line''s; a quota pause (a long Retry-After) is bounded by it only when it is given')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--no-history', '--no-history', [CompletionResultType]::ParameterName, 'Do not record this run in the history')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as jq -r')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'With --jq: one compact line per result, as jq -c')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Put the status line and headers before the body')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (key masked) and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;history;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded runs, newest first: a table on a terminal, JSON otherwise')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one recorded run: what was sent and what came back')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;history;help;list' {
            break
        }
        'miiflow;history;help;show' {
            break
        }
        'miiflow;history;help;clear' {
            break
        }
        'miiflow;history;help;stats' {
            break
        }
        'miiflow;history;help;rerun' {
            break
        }
        'miiflow;history;help;help' {
            break
        }
        'miiflow;agents' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aliases this profile sees (its own, then the global ones)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias (with --profile, that profile''s)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;agents;add' {
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the agent does, in a sentence: shown by `agents list`, and the description AI assistants read (`miiflow mcp serve`)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A parameter the agent takes, NAME:TYPE (TYPE: string, integer, number, boolean, object, array; NAME:TYPE? when it may be left out); repeatable. The input schema AI assistants see (`miiflow mcp serve`)')
            [CompletionResult]::new('--output-schema', '--output-schema', [CompletionResultType]::ParameterName, 'A JSON Schema (an object''s) that a 2xx answer must fit: the MCP tool''s outputSchema; an answer that does not fit is a tool error saying where')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--workflow', '--workflow', [CompletionResultType]::ParameterName, 'ID is a workflow (Miiflow''s second run contract)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;agents;list' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Print only the names, one per line (for shell completion)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;agents;remove' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;agents;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aliases this profile sees (its own, then the global ones)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias (with --profile, that profile''s)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;agents;help;add' {
            break
        }
        'miiflow;agents;help;list' {
            break
        }
        'miiflow;agents;help;remove' {
            break
        }
        'miiflow;agents;help;help' {
            break
        }
        'miiflow;results' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;results;merge' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the merged results to OUT (replaced only when complete; it may be one of the FILEs) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the merged results to OUT (replaced only when complete; it may be one of the FILEs) instead of stdout')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'The batch file the results are for: check that every line has a current result')
            [CompletionResult]::new('--batch-format', '--batch-format', [CompletionResultType]::ParameterName, 'The batch file''s format [default: csv for a .csv file, else jsonl]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;results;diff' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Compare only what this jq filter yields of each answer (e.g. `.output.answer`)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'What makes the diff exit 1: a regression; any change of outcome or answer (regressions included); a regression or a slower line; or never')
            [CompletionResult]::new('--latency-ratio', '--latency-ratio', [CompletionResultType]::ParameterName, 'A line is slower when it took at least R times as long as in BASE (faster at 1/R)')
            [CompletionResult]::new('--latency-floor', '--latency-floor', [CompletionResultType]::ParameterName, 'Lines that took less than this in both runs are never slower or faster (noise)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write a JUnit XML file: one test case per line that differs (a regressed line is a failure there, whatever --fail-on says)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'The batch file both ran: the table shows each line''s first fields')
            [CompletionResult]::new('--batch-format', '--batch-format', [CompletionResultType]::ParameterName, 'The batch file''s format [default: csv for a .csv file, else jsonl]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON document on stdout (docs/guide/nightly.md describes it) instead of the table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;results;report' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where the page is written (replaced only when complete)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where the page is written (replaced only when complete)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'An earlier run''s results: the page adds what changed since')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'With --baseline: compare only what this jq filter yields of each answer, as `results diff --jq` does (answers carry a run id that differs at every run)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;results;help' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;results;help;merge' {
            break
        }
        'miiflow;results;help;diff' {
            break
        }
        'miiflow;results;help;report' {
            break
        }
        'miiflow;results;help;help' {
            break
        }
        'miiflow;mcp' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http')
            [CompletionResult]::new('list-tools', 'list-tools', [CompletionResultType]::ParameterValue, 'Show the tools a client would see: names, descriptions and input schemas')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;mcp;token' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a new token (256 random bits) and show it once, alone on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The tokens there are: name, store, when made (never the secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End a token: a server that is running refuses it from its next request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;mcp;token;create' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--insecure-storage', '--insecure-storage', [CompletionResultType]::ParameterName, 'Keep it in a plain file (mode 0600) instead of the OS keyring')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;mcp;token;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;mcp;token;revoke' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;mcp;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a new token (256 random bits) and show it once, alone on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The tokens there are: name, store, when made (never the secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End a token: a server that is running refuses it from its next request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;mcp;token;help;create' {
            break
        }
        'miiflow;mcp;token;help;list' {
            break
        }
        'miiflow;mcp;token;help;revoke' {
            break
        }
        'miiflow;mcp;token;help;help' {
            break
        }
        'miiflow;mcp;serve' {
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Serve only this alias (repeatable) [default: `[mcp] tools` in config.toml, else every alias the profile sees]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Start at most N runs per second (N/s) or per minute (N/m), across all calls')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many runs are in flight at once; more calls wait their turn')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a call may take, retries included [default: 300]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to send again when nothing can have run (as `run --retries`)')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Serve over HTTP (MCP''s Streamable HTTP, at /mcp) on ADDR instead of stdio, e.g. 127.0.0.1:8931 (port 0: a free one; the URL is said on stderr). Every request must carry `Authorization: Bearer TOKEN`, a token of `mcp token create` or MIIFLOW_MCP_TOKEN')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'With --http: a browser origin allowed besides the server''s own (repeatable), e.g. `https://chat.example.com:443`')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'With --http: a name clients reach the server by, taken in the `Host` header besides the bound address (repeatable), e.g. `mcp.example.com` (any port) or `mcp.example.com:8931`: the certificate''s name, or a proxy''s')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'With --http: serve https with this certificate chain (PEM; the server''s first)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'With --http: the certificate''s private key (PEM: PKCS#8, PKCS#1 or SEC1)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--no-history', '--no-history', [CompletionResultType]::ParameterName, 'Do not record the calls in the history')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'With --http: listen on an address other machines reach (not loopback)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;mcp;list-tools' {
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Only this alias (repeatable), as `mcp serve --tool`')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the tools as MCP''s tools/list gives them (JSON)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;mcp;install' {
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'The client whose config to change')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: the client''s own, for this platform and user]')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Serve only this alias (repeatable): added to the server''s arguments')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Point the client at a server already running over HTTP (`mcp serve --http`), e.g. `http://127.0.0.1:8931/mcp`, instead of having it start one. The token comes from the client''s environment reference (Claude Code, Cursor) or its secret prompt (VS Code), never from the file')
            [CompletionResult]::new('--token-env', '--token-env', [CompletionResultType]::ParameterName, 'With --url: the environment variable the client reads the token from (Claude Code, Cursor)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The server''s name in the client''s config')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the change and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;mcp;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http')
            [CompletionResult]::new('list-tools', 'list-tools', [CompletionResultType]::ParameterValue, 'Show the tools a client would see: names, descriptions and input schemas')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;mcp;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a new token (256 random bits) and show it once, alone on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The tokens there are: name, store, when made (never the secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End a token: a server that is running refuses it from its next request')
            break
        }
        'miiflow;mcp;help;token;create' {
            break
        }
        'miiflow;mcp;help;token;list' {
            break
        }
        'miiflow;mcp;help;token;revoke' {
            break
        }
        'miiflow;mcp;help;serve' {
            break
        }
        'miiflow;mcp;help;list-tools' {
            break
        }
        'miiflow;mcp;help;install' {
            break
        }
        'miiflow;mcp;help;help' {
            break
        }
        'miiflow;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'miiflow;version' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL [default: $MIIFLOW_BASE_URL, else the profile''s, else https://api.miiflow.ai]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts: version, commit, commit date, target, TLS, keyring stores')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr (key masked); twice also the request body')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status line, only errors')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'miiflow;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a workflow (agent) and print its answer')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store an API key for a profile, in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget a profile''s stored key. This does not revoke it on the server (`keys delete` does)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each profile: base URL, where its key comes from, the key masked, its id and name')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage API keys on the server (with the active key)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the API key in use, for scripts (as `gh auth token`)')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Send an authenticated request to any path of Miiflow''s API, as `gh api` does')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Runs recorded on this machine: list them, show one, run one again, clear them')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'Names for agents and workflows, with default items: `miiflow run NAME`')
            [CompletionResult]::new('results', 'results', [CompletionResultType]::ParameterValue, 'Work with the results files batches write (`run --batch IN -o RESULTS`)')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model Context Protocol, the key kept in the keyring: no secret in any config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit it was built from, and what was compiled in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'miiflow;help;run' {
            break
        }
        'miiflow;help;login' {
            break
        }
        'miiflow;help;logout' {
            break
        }
        'miiflow;help;status' {
            break
        }
        'miiflow;help;keys' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key on the server and store it as a profile of the same name')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the server''s keys, marking those stored here')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Revoke a key on the server and forget the local profile that holds it')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a profile''s key: create a new one, store it, check it, then delete the old one')
            break
        }
        'miiflow;help;keys;create' {
            break
        }
        'miiflow;help;keys;list' {
            break
        }
        'miiflow;help;keys;delete' {
            break
        }
        'miiflow;help;keys;rotate' {
            break
        }
        'miiflow;help;token' {
            break
        }
        'miiflow;help;api' {
            break
        }
        'miiflow;help;history' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded runs, newest first: a table on a terminal, JSON otherwise')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one recorded run: what was sent and what came back')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete recorded runs (asks first on a terminal; elsewhere it needs --yes)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a terminal a table and a latency histogram, JSON otherwise')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a recorded run again: the same agent or workflow and input, items merged over it, recorded as a new entry. The key and base URL are the current ones (--profile, as for run)')
            break
        }
        'miiflow;help;history;list' {
            break
        }
        'miiflow;help;history;show' {
            break
        }
        'miiflow;help;history;clear' {
            break
        }
        'miiflow;help;history;stats' {
            break
        }
        'miiflow;help;history;rerun' {
            break
        }
        'miiflow;help;agents' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command line''s merged over them')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aliases this profile sees (its own, then the global ones)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias (with --profile, that profile''s)')
            break
        }
        'miiflow;help;agents;add' {
            break
        }
        'miiflow;help;agents;list' {
            break
        }
        'miiflow;help;agents;remove' {
            break
        }
        'miiflow;help;results' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge results files (a CI matrix''s shards, several nights'' runs) into one, in line order')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What changed between two runs of one suite: each line regressed (passed, now fails), fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged, input changed, or in one file only; and slower or faster past --latency-ratio')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'One self-contained HTML page about a run: the verdict, counts by class, a latency histogram, the slowest lines, failures with the start of each answer, unmet expectations; with --baseline, what changed since (regressions first)')
            break
        }
        'miiflow;help;results;merge' {
            break
        }
        'miiflow;help;results;diff' {
            break
        }
        'miiflow;help;results;report' {
            break
        }
        'miiflow;help;mcp' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or a plain file with --insecure-storage); config.toml records only their names and digests')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or over HTTP with --http')
            [CompletionResult]::new('list-tools', 'list-tools', [CompletionResultType]::ParameterValue, 'Show the tools a client would see: names, descriptions and input schemas')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add (or update) a `miiflow` server in an AI client''s config file: the absolute path of this miiflow and its arguments, never a key')
            break
        }
        'miiflow;help;mcp;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a new token (256 random bits) and show it once, alone on stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The tokens there are: name, store, when made (never the secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End a token: a server that is running refuses it from its next request')
            break
        }
        'miiflow;help;mcp;token;create' {
            break
        }
        'miiflow;help;mcp;token;list' {
            break
        }
        'miiflow;help;mcp;token;revoke' {
            break
        }
        'miiflow;help;mcp;serve' {
            break
        }
        'miiflow;help;mcp;list-tools' {
            break
        }
        'miiflow;help;mcp;install' {
            break
        }
        'miiflow;help;completions' {
            break
        }
        'miiflow;help;version' {
            break
        }
        'miiflow;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
