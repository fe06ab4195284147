# complete.zsh: what zsh completes at the end of a command line, with
# loopscope's completion loaded (tests/completion.test).
#
#   zsh -f tests/complete.zsh COMPLETION_DIR LINE
#
# A zsh in a pseudo-terminal completes LINE with Tab; compadd is wrapped
# to print every candidate it is given. They are printed one a line,
# sorted. (After Valodim's zsh-capture-completion.)

zmodload zsh/zpty || exit 1
dir=$1 cmdline=$2

zpty z zsh -f -i
zpty -w z "fpath=(${(q)dir} \$fpath)"
zpty -w z 'PROMPT= RPROMPT=; unsetopt zle_bracketed_paste 2>/dev/null'
zpty -w z 'autoload -U compinit; compinit -u -D'
zpty -w z 'bindkey "^I" complete-word'
zpty -w z 'zstyle ":completion:*" list-grouped false'
zpty -w z 'zstyle ":completion:*" insert-tab false'
zpty -w z 'mark() { print -r -- "<<""mark>>" }; compprefuncs=(mark); comppostfuncs=(mark exit)'
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"; return
  fi
  local -a hits; local h
  builtin compadd -A hits "$@"
  for h in $hits; do print -r -- "<<""hit>>$h"; done
  builtin compadd "$@"
}'
zpty -w -n z "$cmdline"$'\t'

integer marks=0
out=()
while zpty -r -t z line 2>/dev/null || { sleep 0.05; zpty -r -t z line; } ||
    { sleep 0.5; zpty -r z line; }; do
  line=${line%$'\n'}; line=${line%$'\r'}
  [[ $line == *'<<mark>>'* ]] && (( ++marks == 2 )) && break
  [[ $line == *'<<hit>>'* ]] && out+=("${line#*<<hit>>}")
done
zpty -d z
(( $#out )) && print -rl -- ${(uo)out}
