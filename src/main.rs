//! `miiflow`: see the library's `main`.

fn main() -> std::process::ExitCode {
    miiflow::main()
}
