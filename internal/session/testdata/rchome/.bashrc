# Read by every interactive bash, as in Emacs's M-x shell.
echo "bashrc: read"
alias hi='echo hi from an alias'
greet() { echo "hello, $1"; }
RC_VAR=from-bashrc
PS1='rc:\#> '
