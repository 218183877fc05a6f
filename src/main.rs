fn main() -> std::process::ExitCode {
    talkdoc::cli::main()
}
