# complete.bash: what bash completes at the end of a command line, with
# bash-completion and loopscope's completion loaded (tests/completion.test).
#
#   bash tests/complete.bash COMPLETION_FILE LINE
#
# LINE is split into words as readline splits it ("=" a word of its own);
# the candidates are printed one a line, sorted.

. /usr/share/bash-completion/bash_completion || exit 1
# Outside readline, compopt refuses to run: its options matter not here.
compopt() { :; }
. "$1" || exit 1
line=$2

COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDS=()
for w in $line; do
	while [[ $w == *=* ]]; do
		[[ -n ${w%%=*} ]] && COMP_WORDS+=("${w%%=*}")
		COMP_WORDS+=("=")
		w=${w#*=}
	done
	[[ -n $w ]] && COMP_WORDS+=("$w")
done
[[ $line == *[\ =] ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_loopscope "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
    "${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort
