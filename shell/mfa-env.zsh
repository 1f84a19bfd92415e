# =============================================================================
#
# mfa-env shell integration for zsh. Load it from ~/.zshrc, after PROMPT is set
# (and after compinit, for tab completion):
#
#     eval "$(mfa-env init zsh)"
#
# `mfa-env init zsh` prints this file with the path of the mfa-env binary
# filled in; `--no-prompt` leaves out the part that edits PROMPT.
#
# =============================================================================

# The mfa-env binary: every call below runs it by this path, never through PATH.
typeset -g __mfa_env_bin=::MFA_ENV_BIN::

# =============================================================================
#
# The mfa-env command: login and clear change this shell's variables.
#
# =============================================================================

# An alias of the same name would shadow the functions.
\builtin unalias mfa-env mfa_env_prompt >/dev/null 2>&1 || \builtin true

# Runs mfa-env; for login and clear, evaluates what it prints, only when it succeeded.
function mfa-env {
    \builtin emulate -L zsh
    case ${1-} in
    (login | clear)
        if __mfa_env_wants_help "$@"; then
            MFA_ENV_SHELL=zsh \command "$__mfa_env_bin" "$@"
            return
        fi
        local __mfa_env_code
        local -i __mfa_env_status=0
        __mfa_env_code=$(MFA_ENV_SHELL=zsh \command "$__mfa_env_bin" "$1" --shell zsh "${@[2,-1]}") || __mfa_env_status=$?
        # A failed login prints nothing, and nothing is run: the earlier session stays.
        if (( __mfa_env_status == 0 )); then
            \builtin eval "$__mfa_env_code"
        fi
        return __mfa_env_status
        ;;
    (*)
        MFA_ENV_SHELL=zsh \command "$__mfa_env_bin" "$@"
        ;;
    esac
}

# True when -h or --help is among the arguments: then help is printed, not evaluated.
function __mfa_env_wants_help {
    local __mfa_env_arg
    for __mfa_env_arg in "$@"; do
        case $__mfa_env_arg in
        (-h | --help) return 0 ;;
        (--) return 1 ;;
        esac
    done
    return 1
}

# =============================================================================
#
# Prompt segment: `PROFILE 11h59m`, yellow under 15 minutes, red when expired.
#
# =============================================================================

# EPOCHSECONDS comes with the zsh/datetime module; without it, `date +%s` (one fork per prompt).
if \builtin zmodload zsh/datetime 2>/dev/null; then
    typeset -g __mfa_env_clock=epochseconds
else
    typeset -g __mfa_env_clock=date
fi

# Fills mfa_env_segment (for PROMPT: colours inside %{ %}, `%` doubled),
# mfa_env_segment_text and mfa_env_segment_level (ok, low, expired) from
# MFA_ENV_PROFILE and MFA_ENV_EXPIRES; all empty without a session.
function mfa_env_prompt_update {
    \builtin emulate -L zsh
    typeset -g mfa_env_segment='' mfa_env_segment_text='' mfa_env_segment_level=''
    local expires=${MFA_ENV_EXPIRES-}
    # Digits only, at most 12: foreign text never reaches arithmetic, where zsh would run $(…) in it.
    case $expires in
    ('' | *[^0-9]* | ?????????????*) return 0 ;;
    esac
    local -i now
    if [[ $__mfa_env_clock == epochseconds ]]; then
        now=$EPOCHSECONDS
    else
        now=$(\command date +%s)
    fi
    local -i left=$(( 10#$expires - now ))
    local profile=${MFA_ENV_PROFILE-}
    if (( left <= 0 )); then
        mfa_env_segment_text="${profile:+$profile }expired"
        mfa_env_segment_level=expired
    else
        local -i minutes=$(( left / 60 )) rest=$(( left / 60 % 60 ))
        if (( minutes >= 60 )); then
            mfa_env_segment_text="${profile:+$profile }$(( minutes / 60 ))h${(l:2::0:)rest}m"
        else
            mfa_env_segment_text="${profile:+$profile }${minutes}m"
        fi
        if (( left < 900 )); then mfa_env_segment_level=low; else mfa_env_segment_level=ok; fi
    fi
    local text=${mfa_env_segment_text//\%/%%}
    if [[ -n ${NO_COLOR-} || $mfa_env_segment_level == ok ]]; then
        mfa_env_segment=$text
    elif [[ $mfa_env_segment_level == low ]]; then
        mfa_env_segment=$'%{\e[33m%}'$text$'%{\e[0m%}'
    else
        mfa_env_segment=$'%{\e[31m%}'$text$'%{\e[0m%}'
    fi
}

# Prints the segment, e.g. for PROMPT='$(mfa_env_prompt) %# ' (the hook below avoids that fork).
function mfa_env_prompt {
    mfa_env_prompt_update
    \builtin print -rn -- "$mfa_env_segment"
}

# Runs before each prompt (precmd): refreshes the segment, keeps $? for later hooks. Under
# errexit a failure handed back here would end the shell; zsh shows PROMPT the $? from before
# precmd anyway, so then only later hooks see 0.
function __mfa_env_precmd {
    local -i __mfa_env_status=$?
    mfa_env_prompt_update
    [[ -o errexit ]] && return 0
    return __mfa_env_status
}

# add-zsh-hook never adds a function twice.
\builtin autoload -Uz add-zsh-hook
add-zsh-hook precmd __mfa_env_precmd
mfa_env_prompt_update

# mfa-env:prompt:begin (`mfa-env init --no-prompt` leaves out this part, up to the end marker)
# Puts the segment in front of PROMPT, once; prompt_subst makes zsh expand it at each prompt.
typeset -g __mfa_env_ps1='${mfa_env_segment:+$mfa_env_segment }'
if [[ ${PROMPT-} != *"$__mfa_env_ps1"* ]]; then
    \builtin setopt prompt_subst
    PROMPT=$__mfa_env_ps1${PROMPT-}
fi
# mfa-env:prompt:end

# =============================================================================
#
# Tab completion: subcommands, options, and profile names from the AWS files.
#
# =============================================================================

# Asks mfa-env for the candidates of the word under the cursor.
function __mfa_env_complete {
    local -a candidates
    candidates=(${(f)"$(\command "$__mfa_env_bin" __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)"})
    if (( ${#candidates} )); then
        compadd -- "${candidates[@]}"
    else
        _default
    fi
}

# compdef exists once compinit has run; without it zsh has no completion system to join.
if (( ${+functions[compdef]} )); then
    compdef __mfa_env_complete mfa-env
fi
