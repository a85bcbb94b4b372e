"""`qim --show-completion SHELL` and `--install-completion SHELL`: the shell named is the
shell served, an unknown one is a usage error, and installing writes only under HOME."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _qim(*args: str, home, shell_cmd: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    env.pop("_QIM_COMPLETE", None)
    if shell_cmd:  # run under bash, which stays qim's parent: the shell in use is bash
        line = " ".join([sys.executable, "-m", "qim_cli", *args]) + "; exit $?"
        return subprocess.run(["bash", "-c", line], capture_output=True, text=True,
                              timeout=60, env=env)
    return subprocess.run([sys.executable, "-m", "qim_cli", *args], capture_output=True,
                          text=True, timeout=60, env=env)


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o default -F _qim_completion qim"),
    ("zsh", "compdef _qim_completion qim"),
    ("fish", "complete --command qim --no-files"),
    ("powershell", "Register-ArgumentCompleter -Native -CommandName qim"),
])
def test_show_completion_prints_the_named_shells_script(tmp_path, shell, marker):
    proc = _qim("--show-completion", shell, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    assert "_QIM_COMPLETE" in proc.stdout and f"complete_{shell}" in proc.stdout
    others = {"bash": "complete -o default", "zsh": "compdef", "fish": "--command qim",
              "powershell": "Register-ArgumentCompleter"}
    for other, text in others.items():
        if other != shell:
            assert text not in proc.stdout


def test_show_completion_of_an_unknown_shell_is_a_usage_error(tmp_path):
    proc = _qim("--show-completion", "bogus", home=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == ('--show-completion: must be one of bash, zsh, fish, powershell '
                           '(got "bogus")\n')


def test_install_completion_of_an_unknown_shell_touches_no_file(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    proc = _qim("--install-completion", "nosuch", home=home)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == ('--install-completion: must be one of bash, zsh, fish, powershell '
                           '(got "nosuch")\n')
    assert list(home.iterdir()) == []


def test_install_completion_for_zsh_writes_the_zsh_script_under_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    proc = _qim("--install-completion", "zsh", home=home)
    assert proc.returncode == 0, proc.stderr
    script = home / ".zfunc" / "_qim"
    assert proc.stdout == f"zsh completion installed in {script}; it takes effect in a new shell\n"
    assert "compdef _qim_completion qim" in script.read_text()
    assert "fpath+=~/.zfunc" in (home / ".zshrc").read_text()
    assert not (home / ".bashrc").exists()


def test_show_completion_alone_serves_the_shell_in_use(tmp_path):
    proc = _qim("--show-completion", home=tmp_path, shell_cmd=True)
    assert proc.returncode == 0, proc.stderr
    assert "complete -o default -F _qim_completion qim" in proc.stdout


@pytest.mark.parametrize(("shell", "extra", "expected"), [
    ("zsh", {}, "_arguments '*: :((\"assess\":"),
    ("fish", {"_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "assess\tThe interactive self-check"),
])
def test_the_zsh_and_fish_scripts_are_answered(tmp_path, shell, extra, expected):
    env = {**os.environ, "HOME": str(tmp_path), "_QIM_COMPLETE": f"complete_{shell}",
           "_TYPER_COMPLETE_ARGS": "qim as", **extra}
    proc = subprocess.run([sys.executable, "-m", "qim_cli"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(expected)


def _undetected(monkeypatch, login_shell: str | None) -> None:
    import shellingham

    def fail() -> tuple[str, str]:
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", fail)
    if login_shell is None:
        monkeypatch.delenv("SHELL", raising=False)
    else:
        monkeypatch.setenv("SHELL", login_shell)


def test_with_no_shell_among_the_parents_the_login_shell_is_the_one_in_use(monkeypatch):
    from qim_cli.cli.completion import with_detected_shell

    _undetected(monkeypatch, "/usr/bin/zsh")
    assert with_detected_shell(["--install-completion"]) == ["--install-completion", "zsh"]


def test_with_no_shell_known_at_all_the_user_is_asked_to_name_it(monkeypatch, capsys):
    from qim_cli.cli.completion import with_detected_shell

    _undetected(monkeypatch, None)
    with pytest.raises(SystemExit) as stop:
        with_detected_shell(["--show-completion"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (
        "qim: cannot tell which shell this is; name it: qim --show-completion bash|zsh|fish|powershell\n")
