# shellcheck shell=bash
# =============================================================================
#
# mfa-env shell integration for bash. Load it from ~/.bashrc, after PS1 is set:
#
#     eval "$(mfa-env init bash)"
#
# `mfa-env init bash` prints this file with the path of the mfa-env binary
# filled in; `--no-prompt` leaves out the part that edits PS1.
#
# Written for bash 3.2 too (macOS /bin/bash): no namerefs, no case
# modification, no associative arrays, no `declare -g`.
#
# =============================================================================

# bash in POSIX mode (`set -o posix`, POSIXLY_CORRECT) refuses to define a function named
# mfa-env, though it calls one fine: leave POSIX mode while the functions are defined, and put
# it back (with POSIXLY_CORRECT as it was) at the end of this file.
__mfa_env_posix='' __mfa_env_posix_exported=''
if \builtin shopt -qo posix; then
    __mfa_env_posix=${POSIXLY_CORRECT:-on}
    case $(\builtin declare -p POSIXLY_CORRECT 2>/dev/null) in
    'declare -x'*) __mfa_env_posix_exported=yes ;;
    esac
    \builtin set +o posix
fi

# The mfa-env binary: every call below runs it by this path, never through PATH.
__mfa_env_bin=::MFA_ENV_BIN::

# =============================================================================
#
# The mfa-env command: login and clear change this shell's variables.
#
# =============================================================================

# An alias of the same name would shadow the functions.
\builtin unalias mfa-env mfa_env_prompt >/dev/null 2>&1 || \builtin true

# Runs mfa-env; for login and clear, evaluates what it prints, only when it succeeded.
function mfa-env {
    case ${1-} in
    login | clear)
        if __mfa_env_wants_help "$@"; then
            MFA_ENV_SHELL=bash \command "$__mfa_env_bin" "$@"
            return
        fi
        local __mfa_env_code __mfa_env_status=0
        __mfa_env_code=$(MFA_ENV_SHELL=bash \command "$__mfa_env_bin" "$1" --shell bash "${@:2}") || __mfa_env_status=$?
        # A failed login prints nothing, and nothing is run: the earlier session stays.
        if [[ $__mfa_env_status -eq 0 ]]; then
            \builtin eval "$__mfa_env_code"
        fi
        return "$__mfa_env_status"
        ;;
    *)
        MFA_ENV_SHELL=bash \command "$__mfa_env_bin" "$@"
        ;;
    esac
}

# True when -h or --help is among the arguments: then help is printed, not evaluated.
__mfa_env_wants_help() {
    local __mfa_env_arg
    for __mfa_env_arg in "$@"; do
        case $__mfa_env_arg in
        -h | --help) return 0 ;;
        --) return 1 ;;
        esac
    done
    return 1
}

# =============================================================================
#
# Prompt segment: `PROFILE 11h59m`, yellow under 15 minutes, red when expired.
#
# =============================================================================

# How this bash reads the clock without forking: EPOCHSECONDS (bash 5),
# printf '%(%s)T' (bash 4.2), else `date +%s` (bash 3.2, one fork per prompt).
if [[ -n ${EPOCHSECONDS-} ]]; then
    __mfa_env_clock=epochseconds
elif \builtin printf -v __mfa_env_time '%(%s)T' -1 >/dev/null 2>&1; then
    __mfa_env_clock='printf'
else
    __mfa_env_clock='date'
fi

# Sets __mfa_env_time to the seconds since the epoch.
__mfa_env_now() {
    case $__mfa_env_clock in
    epochseconds) __mfa_env_time=$EPOCHSECONDS ;;
    printf) \builtin printf -v __mfa_env_time '%(%s)T' -1 ;;
    *) __mfa_env_time=$(\command date +%s) ;;
    esac
}

# Fills mfa_env_segment (for PS1: colours between \001 \002 so readline counts
# the width right), mfa_env_segment_text and mfa_env_segment_level (ok, low,
# expired) from MFA_ENV_PROFILE and MFA_ENV_EXPIRES; all empty without a session.
mfa_env_prompt_update() {
    mfa_env_segment='' mfa_env_segment_text='' mfa_env_segment_level=''
    local expires=${MFA_ENV_EXPIRES-}
    # Digits only, at most 12: foreign text never reaches arithmetic, where bash would run $(…) in it.
    case $expires in
    '' | *[!0-9]* | ?????????????*) return 0 ;;
    esac
    __mfa_env_now
    local left=$((10#$expires - __mfa_env_time)) profile=${MFA_ENV_PROFILE-}
    if ((left <= 0)); then
        mfa_env_segment_text="${profile:+$profile }expired"
        mfa_env_segment_level=expired
    else
        local minutes=$((left / 60))
        if ((minutes >= 60)); then
            local padded=$((minutes % 60))
            if ((padded < 10)); then padded=0$padded; fi
            mfa_env_segment_text="${profile:+$profile }$((minutes / 60))h${padded}m"
        else
            mfa_env_segment_text="${profile:+$profile }${minutes}m"
        fi
        if ((left < 900)); then mfa_env_segment_level=low; else mfa_env_segment_level=ok; fi
    fi
    if [[ -n ${NO_COLOR-} || $mfa_env_segment_level == ok ]]; then
        mfa_env_segment=$mfa_env_segment_text
    elif [[ $mfa_env_segment_level == low ]]; then
        mfa_env_segment=$'\001\033[33m\002'$mfa_env_segment_text$'\001\033[0m\002'
    else
        mfa_env_segment=$'\001\033[31m\002'$mfa_env_segment_text$'\001\033[0m\002'
    fi
}

# Prints the segment, e.g. for PS1='$(mfa_env_prompt) \$ ' (the hook below avoids that fork).
mfa_env_prompt() {
    mfa_env_prompt_update
    \builtin printf '%s' "$mfa_env_segment"
}

# Runs before each prompt (PROMPT_COMMAND): refreshes the segment, keeps $? for PS1.
# Under `set -e` a failure handed back here would end the shell; bash shows PS1 the $? from
# before PROMPT_COMMAND anyway, so then only later hooks see 0.
__mfa_env_hook() {
    local __mfa_env_status=$?
    mfa_env_prompt_update
    case $- in
    *e*) return 0 ;;
    esac
    return "$__mfa_env_status"
}

# Adds the hook to PROMPT_COMMAND once, whether it is a string or (bash 5.1+) an array.
__mfa_env_register_hook() {
    local __mfa_env_entry
    # An array with a second element; `${#PROMPT_COMMAND[@]}` would trip `set -u` on a string.
    if [[ -n ${PROMPT_COMMAND[1]+set} ]]; then
        for __mfa_env_entry in "${PROMPT_COMMAND[@]}"; do
            case $__mfa_env_entry in
            *__mfa_env_hook*) return 0 ;;
            esac
        done
        PROMPT_COMMAND+=(__mfa_env_hook)
        return 0
    fi
    case ${PROMPT_COMMAND-} in
    *__mfa_env_hook*) return 0 ;;
    esac
    # A string (or a one-element array: the same thing to bash). A newline, not `;`, joins the
    # commands: the existing one may end in `;` or `&`.
    # shellcheck disable=SC2128,SC2178
    PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}__mfa_env_hook"
}

__mfa_env_register_hook
mfa_env_prompt_update

# mfa-env:prompt:begin (`mfa-env init --no-prompt` leaves out this part, up to the end marker)
# Puts the segment in front of PS1, once. Single quotes on purpose: bash expands it at each prompt.
# shellcheck disable=SC2016
__mfa_env_ps1='${mfa_env_segment:+$mfa_env_segment }'
case ${PS1-} in
*"$__mfa_env_ps1"*) ;;
*)
    \builtin shopt -s promptvars
    PS1=$__mfa_env_ps1${PS1-}
    ;;
esac
# mfa-env:prompt:end

# =============================================================================
#
# Tab completion: subcommands, options, and profile names from the AWS files.
#
# =============================================================================

# Asks mfa-env for the candidates of the word under the cursor.
__mfa_env_complete() {
    local __mfa_env_line
    COMPREPLY=()
    while IFS= read -r __mfa_env_line; do
        COMPREPLY+=("$__mfa_env_line")
    done < <(\command "$__mfa_env_bin" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}

# Without candidates (e.g. after `exec --`) bash falls back to file names.
\builtin complete -o default -F __mfa_env_complete mfa-env 2>/dev/null || \builtin true

# Back to POSIX mode when the shell was in it (set -o posix sets POSIXLY_CORRECT=y: restore the user's value).
if [[ -n $__mfa_env_posix ]]; then
    \builtin set -o posix
    if [[ $__mfa_env_posix != on ]]; then POSIXLY_CORRECT=$__mfa_env_posix; fi
    if [[ -n $__mfa_env_posix_exported ]]; then \builtin export POSIXLY_CORRECT; fi
fi
