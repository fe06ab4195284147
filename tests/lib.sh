# lib.sh: helpers for loopscope's shell tests (POSIX sh, sourced).
#
# Every check prints exactly one line, "ok - NAME" or "not ok - NAME",
# followed on failure by a few indented lines saying what was expected and
# what came instead. done_testing ends the script: status 0 when every
# check passed, 1 otherwise. skip_all ends it with status 77 (skipped).
#
# A check made while $lib_todo holds a reason is a known failure (a bug
# not fixed yet, named in that reason): failing, it prints "ok - NAME #
# TODO REASON" and its diagnostic lines, and counts as passed; passing,
# it fails, so that the TODO goes once the bug is fixed.
#
# The binary under test is $LOOPSCOPE (absolute path); $top_srcdir is the
# source tree, which is never written to: scratch files go to $T, a
# private directory removed on exit.

lib_tests=0
lib_failed=0
lib_todos=0
lib_ended=false
lib_todo=

# The tools the tests use behave the same everywhere in the C locale.
LC_ALL=C
export LC_ALL
unset LANG LANGUAGE LC_CTYPE LC_MESSAGES LINES COLUMNS

# Report a check: print one line and count it.
pass() {
	lib_tests=$((lib_tests + 1))
	if [ -n "$lib_todo" ]; then
		lib_failed=$((lib_failed + 1))
		printf 'not ok - %s (passes: remove its TODO, %s)\n' "$1" \
		    "$lib_todo"
		return
	fi
	printf 'ok - %s\n' "$1"
}

# fail NAME [DIAG...]: a failed check and its diagnostic lines.
fail() {
	lib_tests=$((lib_tests + 1))
	if [ -n "$lib_todo" ]; then
		lib_todos=$((lib_todos + 1))
		printf 'ok - %s # TODO %s\n' "$1" "$lib_todo"
	else
		lib_failed=$((lib_failed + 1))
		printf 'not ok - %s\n' "$1"
	fi
	shift
	for lib_line in "$@"; do
		printf '    %s\n' "$lib_line"
	done
}

# skip NAME REASON: a check that cannot run here; it counts as passed.
skip() {
	lib_tests=$((lib_tests + 1))
	printf 'ok - %s # SKIP %s\n' "$1" "$2"
}

# Indent a file's first lines under a check (diagnostics).
diag_file() {
	sed -n "1,${2:-12}s/^/    | /p" "$1"
	if [ "$(wc -l <"$1")" -gt "${2:-12}" ]; then
		printf '    | ...\n'
	fi
}

# is NAME GOT WANT: two strings are equal.
is() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: '$3'" "got:      '$2'"
	fi
}

# is_file NAME WANT_FILE GOT_FILE: two files are equal, byte for byte.
is_file() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "expected (-) vs got (+):"
		diff -u "$2" "$3" | sed -n '3,40s/^/    /p'
	fi
}

# has_line NAME FILE LINE: FILE has LINE as one whole line.
has_line() {
	if grep -Fqx -e "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "expected a line: '$3'" "got:"
		diag_file "$2"
	fi
}

# like NAME FILE REGEX: some line of FILE matches the extended REGEX.
like() {
	if grep -Eq -e "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "expected a line matching: $3" "got:"
		diag_file "$2"
	fi
}

# unlike NAME FILE REGEX: no line of FILE matches the extended REGEX.
unlike() {
	if grep -Eq -e "$3" "$2"; then
		fail "$1" "expected no line matching: $3" "got:"
		grep -E -e "$3" "$2" | sed -n '1,5s/^/    | /p'
	else
		pass "$1"
	fi
}

# check NAME COMMAND [ARG...]: COMMAND succeeds; its output is the
# diagnostic when it does not.
check() {
	lib_name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		pass "$lib_name"
	else
		fail "$lib_name" "command failed (status $?): $*"
		diag_file "$T/check.out"
	fi
}

# run [VAR=VALUE...] [ARG...]: run $LOOPSCOPE with ARGs, in an environment
# with the VARs, stdin from /dev/null. Sets $status; stdout is in $T/out
# and stderr in $T/err.
run() {
	lib_n=0
	for lib_arg do
		case $lib_arg in
		[A-Za-z_]*=*)	lib_n=$((lib_n + 1)) ;;
		*)		break ;;
		esac
	done
	# Rotate the arguments, putting the program after the assignments.
	lib_i=0
	lib_c=$#
	while [ "$lib_i" -lt "$lib_c" ]; do
		if [ "$lib_i" -eq "$lib_n" ]; then
			set -- "$@" "$LOOPSCOPE"
		fi
		set -- "$@" "$1"
		shift
		lib_i=$((lib_i + 1))
	done
	if [ "$lib_n" -eq "$lib_c" ]; then
		set -- "$@" "$LOOPSCOPE"
	fi
	env "$@" </dev/null >"$T/out" 2>"$T/err"
	# shellcheck disable=SC2034 # read by the tests
	status=$?
}

# The lines of a file, counted (0 for an empty file).
lines_of() {
	wc -l <"$1" | tr -d ' '
}

# The bytes of a file, counted.
bytes_of() {
	wc -c <"$1" | tr -d ' '
}

# skip_all REASON: nothing here can be tested; exit 77.
skip_all() {
	printf '1..0 # SKIP %s\n' "$1"
	lib_ended=true
	exit 77
}

# The end: the plan, a summary line, and the status.
done_testing() {
	lib_ended=true
	printf '1..%d\n' "$lib_tests"
	if [ "$lib_todos" -gt 0 ]; then
		printf '# %d known failures (TODO)\n' "$lib_todos"
	fi
	if [ "$lib_failed" -eq 0 ]; then
		printf '# all %d checks passed\n' "$lib_tests"
		exit 0
	fi
	printf '# %d of %d checks failed\n' "$lib_failed" "$lib_tests"
	exit 1
}

# A script that stops before done_testing is broken: a hard error (99).
lib_exit() {
	lib_status=$?
	rm -rf "$T"
	if ! $lib_ended; then
		printf 'Bail out! the script stopped early (status %d)\n' \
		    "$lib_status"
		exit 99
	fi
}

if [ -z "${LOOPSCOPE:-}" ] || [ ! -x "$LOOPSCOPE" ]; then
	printf 'Bail out! LOOPSCOPE is not set to the binary (got "%s")\n' \
	    "${LOOPSCOPE:-}"
	exit 99
fi
if [ -z "${top_srcdir:-}" ] || [ ! -d "$top_srcdir" ]; then
	printf 'Bail out! top_srcdir is not set to the source tree\n'
	exit 99
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/loopscope-test.XXXXXX") || {
	printf 'Bail out! cannot make a scratch directory\n'
	exit 99
}
trap lib_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# refused NAME STATUS WORD [VAR=VALUE...] ARG...: run loopscope (as run
# does); it exits with STATUS, prints nothing on stdout and exactly one
# line on stderr, starting "loopscope: " and naming WORD (fixed text).
refused() {
	rf_name=$1
	rf_status=$2
	rf_word=$3
	shift 3
	run "$@"
	rf_why=
	[ "$status" -eq "$rf_status" ] ||
	    rf_why="exit status $status, not $rf_status"
	[ -s "$T/out" ] && rf_why="${rf_why:+$rf_why; }something on stdout"
	[ "$(lines_of "$T/err")" -eq 1 ] ||
	    rf_why="${rf_why:+$rf_why; }$(lines_of "$T/err") lines on stderr, not 1"
	head -n 1 "$T/err" | grep -q '^loopscope: ' ||
	    rf_why="${rf_why:+$rf_why; }stderr does not start 'loopscope: '"
	grep -Fq -e "$rf_word" "$T/err" ||
	    rf_why="${rf_why:+$rf_why; }stderr does not name '$rf_word'"
	if [ -z "$rf_why" ]; then
		pass "$rf_name"
	else
		fail "$rf_name" "command: loopscope $*" "$rf_why" "stderr:"
		diag_file "$T/err"
	fi
}

# no_raw_escape NAME FILE: FILE holds no ESC, BEL or other control byte
# (a newline and a tab apart): what a terminal would obey.
no_raw_escape() {
	nr_n=$(tr -d '\n\t' <"$2" | tr -cd '\000-\037\177' | wc -c |
	    tr -d ' ')
	if [ "$nr_n" -eq 0 ]; then
		pass "$1"
	else
		fail "$1" "$nr_n raw control bytes in it:"
		LC_ALL=C grep -n "$(printf '[\001-\010\013-\037\177]')" "$2" |
		    od -c | sed -n '1,6s/^/    | /p'
	fi
}
