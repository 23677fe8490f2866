//! `tradelab completions SHELL`.

mod common;
use common::*;

#[test]
fn scripts_for_each_shell_name_the_commands() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef tradelab"),
        ("fish", "complete -c tradelab"),
    ] {
        let r = tradelab(&["completions", shell]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains(marker), "{shell}");
        for cmd in ["data", "resample", "synth", "validate"] {
            assert!(r.stdout.contains(cmd), "{shell} lacks {cmd}");
        }
    }
    let r = tradelab(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}
