#!/bin/sh
# Installs mfa-env from this checkout: dependencies, build, a link on your PATH, and the
# shell integration line in the rc file of each shell you have that mfa-env integrates with.
#
#   ./install.sh                 install (running it again changes nothing)
#   ./install.sh --no-modify-rc  install, but only print the lines for your rc files
#   ./install.sh --uninstall     remove the link and exactly the rc lines install.sh added
#
# MFA_ENV_BIN_DIR   where the link goes (default: ~/.local/bin)
# MFA_ENV_SKIP_BUILD=1  skip `npm ci` and the build (the checkout is built already)
set -eu

BEGIN_MARKER='# >>> mfa-env >>>'
END_MARKER='# <<< mfa-env <<<'
COMMENT="# Added by mfa-env's install.sh; \`install.sh --uninstall\` removes this block."
CREATED_COMMENT="# Added by mfa-env's install.sh, which created this file; \`install.sh --uninstall\` removes it."

say() { printf 'install.sh: %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

usage() {
	sed -n '2,10s/^# \{0,1\}//p' "$0"
}

# --- arguments ----------------------------------------------------------------

modify_rc=yes
action=install
for arg in "$@"; do
	case $arg in
	--no-modify-rc) modify_rc=no ;;
	--uninstall) action=uninstall ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		printf 'install.sh: unknown option %s\n' "$arg" >&2
		exit 2
		;;
	esac
done

root=$(cd -- "$(dirname -- "$0")" && pwd -P)
bin_dir=${MFA_ENV_BIN_DIR:-$HOME/.local/bin}
target=$root/bin/mfa-env.js
link=$bin_dir/mfa-env

# --- the shells and their rc files --------------------------------------------

# The shells, their rc files and init lines come from mfa-env's own shell records (src/shells),
# so this script never keeps a list of its own: `mfa-env init --rc-table LINK` prints one line
# per shell, NAME<TAB>RC-FILE<TAB>INIT-LINE, the init line naming the link by its quoted path
# (it works before the bin directory is on PATH, and does nothing once the link is gone).
tab=$(printf '\t')
shell_table=''
load_shell_table() {
	shell_table=$(node "$target" init --rc-table "$link") || die "could not read the shell list from $target (is the checkout built?)"
}

# Field $2 (2: rc file, 3: init line) of shell $1's row.
table_field() {
	printf '%s\n' "$shell_table" | awk -F "$tab" -v s="$1" -v f="$2" '$1 == s { print $f }'
}

rc_file() { table_field "$1" 2; }
init_line() { table_field "$1" 3; }
table_shells() { printf '%s\n' "$shell_table" | cut -f 1; }

has_block() {
	[ -f "$1" ] && grep -qxF "$BEGIN_MARKER" "$1"
}

# True when the file's last byte is not a newline (and the file is not empty).
lacks_final_newline() {
	[ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]
}

# Writes stdin over $1 in place: a symlinked rc file (dotfiles) stays a symlink, the mode stays.
overwrite() {
	tmp=$(mktemp)
	cat >"$tmp"
	cat "$tmp" >"$1"
	rm -f "$tmp"
}

# The init lines inside the block (everything but the markers and comments).
block_lines() {
	awk -v b="$BEGIN_MARKER" -v e="$END_MARKER" '
		$0 == b { inside = 1; next }
		inside && $0 == e { inside = 0; next }
		inside && !/^#/ { print }
	' "$1"
}

# Adds the block to the rc file of shell $1, or updates its line; nothing when it is already right.
add_block() {
	rc=$(rc_file "$1")
	line=$(init_line "$1")
	if has_block "$rc"; then
		if [ "$(block_lines "$rc")" = "$line" ]; then
			say "$1: $rc already loads mfa-env"
			return 0
		fi
		# Replace the init line, keep the rest byte for byte (also a missing final newline).
		no_newline=no
		lacks_final_newline "$rc" && no_newline=yes
		tmp=$(mktemp)
		MFA_ENV_LINE=$line awk -v b="$BEGIN_MARKER" -v e="$END_MARKER" '
			$0 == b { inside = 1; print; next }
			inside && $0 == e { inside = 0; print; next }
			inside && !/^#/ { if (!done) print ENVIRON["MFA_ENV_LINE"]; done = 1; next }
			{ print }
		' "$rc" >"$tmp"
		if [ "$no_newline" = yes ]; then
			printf '%s' "$(cat "$tmp")" | overwrite "$rc"
		else
			overwrite "$rc" <"$tmp"
		fi
		rm -f "$tmp"
		say "$1: updated the mfa-env line in $rc"
		return 0
	fi
	if [ ! -e "$rc" ]; then
		mkdir -p "$(dirname -- "$rc")"
		printf '%s\n%s\n%s\n%s\n' "$BEGIN_MARKER" "$CREATED_COMMENT" "$line" "$END_MARKER" >"$rc"
	elif lacks_final_newline "$rc"; then
		# Finish the user's last line; leaving out our final newline records that for --uninstall.
		printf '\n%s\n%s\n%s\n%s' "$BEGIN_MARKER" "$COMMENT" "$line" "$END_MARKER" >>"$rc"
	else
		printf '%s\n%s\n%s\n%s\n' "$BEGIN_MARKER" "$COMMENT" "$line" "$END_MARKER" >>"$rc"
	fi
	say "$1: added the mfa-env line to $rc"
}

# Removes the block from the rc file of shell $1, restoring the file as it was before.
remove_block() {
	rc=$(rc_file "$1")
	has_block "$rc" || return 0
	created=no
	grep -qxF "$CREATED_COMMENT" "$rc" && created=yes
	# The block ends the file without a final newline: the newline before it was ours.
	added_newline=no
	if lacks_final_newline "$rc" && [ "$(tail -n 1 "$rc")" = "$END_MARKER" ]; then
		added_newline=yes
	fi
	tmp=$(mktemp)
	awk -v b="$BEGIN_MARKER" -v e="$END_MARKER" '
		$0 == b { inside = 1; next }
		inside && $0 == e { inside = 0; next }
		!inside { print }
	' "$rc" >"$tmp"
	if [ "$created" = yes ] && [ ! -s "$tmp" ]; then
		rm -f "$rc"
		say "$1: removed $rc"
	elif [ "$added_newline" = yes ]; then
		printf '%s' "$(cat "$tmp")" | overwrite "$rc"
		say "$1: removed the mfa-env lines from $rc"
	else
		overwrite "$rc" <"$tmp"
		say "$1: removed the mfa-env lines from $rc"
	fi
	rm -f "$tmp"
}

installed_shells() {
	for shell in $(table_shells); do
		if command -v "$shell" >/dev/null 2>&1; then printf '%s\n' "$shell"; fi
	done
}

# --- uninstall ----------------------------------------------------------------

if [ "$action" = uninstall ]; then
	load_shell_table
	if [ -L "$link" ]; then
		if [ "$(readlink "$link")" = "$target" ]; then
			rm -f "$link"
			say "removed $link"
		else
			warn "$link points to $(readlink "$link"), not to this checkout: left alone"
		fi
	fi
	for shell in $(table_shells); do
		if [ "$modify_rc" = yes ]; then
			remove_block "$shell"
		elif has_block "$(rc_file "$shell")"; then
			say "$shell: remove the lines between '$BEGIN_MARKER' and '$END_MARKER' in $(rc_file "$shell")"
		fi
	done
	exit 0
fi

# --- install ------------------------------------------------------------------

command -v node >/dev/null 2>&1 || die "Node.js >= 20 is required, and node is not on PATH (https://nodejs.org)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version) (https://nodejs.org)"

if [ "${MFA_ENV_SKIP_BUILD:-}" = 1 ]; then
	say "MFA_ENV_SKIP_BUILD=1: using the build in $root/dist"
else
	command -v npm >/dev/null 2>&1 || die "npm is required (it comes with Node.js)"
	say "installing dependencies (npm ci)"
	(cd "$root" && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error)
	say "building"
	(cd "$root" && npm run --silent build)
fi
[ -f "$root/dist/mfa-env.cjs" ] || [ -f "$root/dist/cli.js" ] || die "no build in $root/dist: run without MFA_ENV_SKIP_BUILD"

mkdir -p "$bin_dir"
if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then
	say "$link already links to this checkout"
elif [ -e "$link" ] && [ ! -L "$link" ]; then
	die "$link exists and is not a link: move it away, then run install.sh again"
else
	ln -sf "$target" "$link"
	say "linked $link -> $target"
fi

load_shell_table
for shell in $(installed_shells); do
	if [ "$modify_rc" = yes ]; then
		add_block "$shell"
	else
		say "$shell: add this line to $(rc_file "$shell"):"
		printf '    %s\n' "$(init_line "$shell")"
	fi
done

case ":${PATH:-}:" in
*":$bin_dir:"*) ;;
*)
	warn "$bin_dir is not on your PATH. The shell integration finds mfa-env anyway; for scripts and other"
	warn "programs add it, e.g. in your rc file: export PATH=\"$bin_dir:\$PATH\" (fish: fish_add_path $bin_dir)"
	;;
esac
say "done. Open a new shell, then: mfa-env login"
