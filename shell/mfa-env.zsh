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
    # -R: every option back to zsh's default, not only the few that plain -L resets (force_float, say).
    \builtin emulate -LR zsh
    case ${1-} in
    (login | clear)
        if __mfa_env_wants_help "$@"; then
            MFA_ENV_SHELL=zsh \command "$__mfa_env_bin" "$@"
            return
        fi
        # A plain `mfa-env login [--profile P]` with a session in the cache: taken up here, no Node.
        if [[ $1 == login ]] && __mfa_env_cached_login "${@[2,-1]}"; then
            return 0
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
# Sessions that follow you: each login leaves its session in a follow file in the cache dir
# (NUL-terminated fields, read with `read -d ''`, never sourced or evaluated). At each prompt
# this shell takes over a newer session of its profile (Follow), starts one background renewal
# of a role session near its end (Renew), or says once that a session ends soon (Warn).
#
# =============================================================================

# The cache dir: `mfa-env init` fills it in, quoted.
typeset -g __mfa_env_cache_dir=::MFA_ENV_CACHE_DIR::
# Nothing to renew or announce for the session that ends at __mfa_env_quiet_for until the clock
# reaches __mfa_env_quiet_until (its end, once a renewal was started or the warning printed).
typeset -g __mfa_env_quiet_for='' __mfa_env_file=''
typeset -gi __mfa_env_quiet_until=0
# The session a background renewal was started for, and how long it has to arrive (seconds).
typeset -g __mfa_env_renewed_for=''
typeset -gi __mfa_env_renew_grace=60
# When this shell took up the session it holds (the first look at it here).
typeset -gi __mfa_env_held_since=0

# Sets __mfa_env_file to the follow file of profile $1; false when there is none, or for a name
# the cache hashes (fileSafeName in src/store/layout.ts): such profiles do not follow.
function __mfa_env_follow_file {
    case $1 in
    ('' | [.-]* | *[^A-Za-z0-9_.-]* | h-???????????????????????????????? | ?????????????????????????????????????????????????????????????????*) return 1 ;;
    esac
    __mfa_env_file=$__mfa_env_cache_dir/follow-$1.v1
    [[ -f $__mfa_env_file ]]
}

# Reads the follow file into the caller's locals __mfa_env_f_* (order: src/store/follow-file.ts).
# With sysread: the whole file in a few read() calls, split at its NULs; `read -d ''` makes one
# read() per byte (~800 for a session: 1.6 ms here).
function __mfa_env_follow_read {
    if (( __mfa_env_sysread )); then
        local __mfa_env_all='' __mfa_env_chunk=''
        while \builtin sysread -s 8192 -i 9 __mfa_env_chunk; do __mfa_env_all+=$__mfa_env_chunk; done 9<"$__mfa_env_file" 2>/dev/null
        # Ten fields, each ending in a NUL: at least 11 pieces (what follows the tenth NUL is ignored).
        local -a __mfa_env_fields=("${(@0)__mfa_env_all}")
        (( ${#__mfa_env_fields} >= 11 )) || return 1
        __mfa_env_f_expires=$__mfa_env_fields[1] __mfa_env_f_kind=$__mfa_env_fields[2] __mfa_env_f_source=$__mfa_env_fields[3]
        __mfa_env_f_key=$__mfa_env_fields[4] __mfa_env_f_secret=$__mfa_env_fields[5] __mfa_env_f_token=$__mfa_env_fields[6]
        __mfa_env_f_iso=$__mfa_env_fields[7] __mfa_env_f_region=$__mfa_env_fields[8] __mfa_env_f_profile=$__mfa_env_fields[9]
        __mfa_env_f_arn=$__mfa_env_fields[10]
    else
        __mfa_env_follow_read_bytes || return 1
    fi
    case $__mfa_env_f_expires in
    ('' | *[^0-9]* | ?????????????*) return 1 ;;
    esac
}

# The same without zsh/system: `read -d ''` per field.
function __mfa_env_follow_read_bytes {
    {
        IFS= \builtin read -r -d '' __mfa_env_f_expires && IFS= \builtin read -r -d '' __mfa_env_f_kind &&
            IFS= \builtin read -r -d '' __mfa_env_f_source && IFS= \builtin read -r -d '' __mfa_env_f_key &&
            IFS= \builtin read -r -d '' __mfa_env_f_secret && IFS= \builtin read -r -d '' __mfa_env_f_token &&
            IFS= \builtin read -r -d '' __mfa_env_f_iso && IFS= \builtin read -r -d '' __mfa_env_f_region &&
            IFS= \builtin read -r -d '' __mfa_env_f_profile && IFS= \builtin read -r -d '' __mfa_env_f_arn
    } <"$__mfa_env_file" 2>/dev/null
}

# Sets the variables exactly as `mfa-env login` does, from the __mfa_env_f_* just read.
function __mfa_env_follow_export {
    \builtin unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_SESSION_EXPIRATION MFA_ENV_ROLE_ARN
    \builtin export AWS_ACCESS_KEY_ID="$__mfa_env_f_key" AWS_SECRET_ACCESS_KEY="$__mfa_env_f_secret" \
        AWS_SESSION_TOKEN="$__mfa_env_f_token" AWS_CREDENTIAL_EXPIRATION="$__mfa_env_f_iso" \
        MFA_ENV_PROFILE="$__mfa_env_f_profile" MFA_ENV_EXPIRES="$__mfa_env_f_expires"
    if [[ -n $__mfa_env_f_region ]]; then
        \builtin export AWS_REGION="$__mfa_env_f_region" AWS_DEFAULT_REGION="$__mfa_env_f_region"
    fi
}

# Takes over the newer session in the follow file (another terminal's login, or a renewal).
function __mfa_env_follow_take_over {
    local __mfa_env_f_expires __mfa_env_f_kind __mfa_env_f_source __mfa_env_f_key __mfa_env_f_secret \
        __mfa_env_f_token __mfa_env_f_iso __mfa_env_f_region __mfa_env_f_profile __mfa_env_f_arn
    if __mfa_env_follow_read && [[ $__mfa_env_f_profile == "${MFA_ENV_PROFILE-}" ]]; then
        __mfa_env_follow_export
    fi
}

# Sets __mfa_env_seconds from MFA_ENV_REFRESH_BEFORE (`600`, `600s`, `10m`, `1h`; default 10m).
function __mfa_env_refresh_before {
    local value=${MFA_ENV_REFRESH_BEFORE:-10m}
    local -i unit=1
    case $value in
    (*s) value=${value%s} ;;
    (*m) value=${value%m} unit=60 ;;
    (*h) value=${value%h} unit=3600 ;;
    esac
    case $value in
    ('' | *[^0-9]* | ??????*) value=10 unit=60 ;;
    esac
    __mfa_env_seconds=$(( 10#$value * unit ))
}

# Near the end of this shell's session ($1): one background renewal when it can be renewed
# without a code, else one line on stderr 15 minutes before the end.
function __mfa_env_renew_or_warn {
    local current=$1
    local -i __mfa_env_seconds now=$EPOCHSECONDS
    __mfa_env_refresh_before
    local -i left=$(( 10#$current - now ))
    [[ $__mfa_env_quiet_for != "$current" ]] && __mfa_env_held_since=$now
    __mfa_env_quiet_for=$current
    if (( left > __mfa_env_seconds && left > 900 )); then
        __mfa_env_quiet_until=$(( 10#$current - (__mfa_env_seconds > 900 ? __mfa_env_seconds : 900) ))
        return 0
    fi
    # An expired session has nothing left to renew or announce: only a new one is looked at.
    if (( left <= 0 )); then
        __mfa_env_quiet_until=$__mfa_env_never
        return 0
    fi
    # Look again in a minute, or when the renewal window opens if that is sooner.
    local -i opens=$(( 10#$current - __mfa_env_seconds ))
    __mfa_env_quiet_until=$(( opens > now && opens < now + 60 ? opens : now + 60 ))
    local __mfa_env_f_expires __mfa_env_f_kind __mfa_env_f_source __mfa_env_f_key __mfa_env_f_secret \
        __mfa_env_f_token __mfa_env_f_iso __mfa_env_f_region __mfa_env_f_profile __mfa_env_f_arn
    if ! __mfa_env_follow_read || [[ $__mfa_env_f_expires != "$current" ]]; then
        return 0
    fi
    # One renewal per session: when its session has not arrived by the next look (a minute on),
    # it failed, and the warning below is due.
    if [[ ${MFA_ENV_REFRESH-} != off && $__mfa_env_renewed_for != "$current" ]] && __mfa_env_renewable; then
        if (( left <= __mfa_env_seconds && now - __mfa_env_held_since < __mfa_env_renew_grace )); then
            # Not in the session's first minute here: one that arrives inside the window already
            # (it lasts no longer than MFA_ENV_REFRESH_BEFORE) is renewed once a minute, not at every prompt.
            __mfa_env_quiet_until=$(( __mfa_env_held_since + __mfa_env_renew_grace ))
        elif (( left <= __mfa_env_seconds )); then
            __mfa_env_renewed_for=$current
            __mfa_env_quiet_until=$(( now + __mfa_env_renew_grace ))
            # A subshell's background job: no job-control message, and this shell never waits for it.
            (MFA_ENV_SHELL=zsh \command "$__mfa_env_bin" __renew --profile "$__mfa_env_f_profile" --after "$current" </dev/null >/dev/null 2>&1 &)
        fi
    elif (( left <= 900 )); then
        __mfa_env_quiet_until=$(( 10#$current ))
        local why='cannot be renewed without a code'
        [[ $__mfa_env_renewed_for == "$current" ]] && why='was not renewed in the background'
        \builtin printf 'mfa-env: the session of profile %s ends in %dm and %s; log in again with: mfa-env login --force\n' \
            "$__mfa_env_f_profile" $(( (left + 59) / 60 )) "$why" >&2
    fi
}

# True when the role session just read can be renewed without a code: its source profile has
# a cached MFA session (GetSessionToken) with more than the cache's 5-minute margin left.
function __mfa_env_renewable {
    if [[ $__mfa_env_f_kind != role ]]; then return 1; fi
    local __mfa_env_file source_expires='' source_kind=''
    __mfa_env_follow_file "$__mfa_env_f_source" || return 1
    { IFS= \builtin read -r -d '' source_expires && IFS= \builtin read -r -d '' source_kind; } <"$__mfa_env_file" 2>/dev/null || return 1
    case $source_expires in
    ('' | *[^0-9]* | ?????????????*) return 1 ;;
    esac
    [[ $source_kind == session ]] && (( 10#$source_expires - EPOCHSECONDS > 360 ))
}

# `mfa-env login [--profile P]`: takes up the profile's cached session from its follow file
# while it has 5 minutes left and neither AWS file changed since it was written; false (run
# mfa-env) otherwise. The profile as mfa-env picks it: the flag, AWS_PROFILE, the session's, default.
function __mfa_env_cached_login {
    \builtin emulate -LR zsh
    local profile
    case $#:${1-} in
    (0:) profile=${AWS_PROFILE:-${MFA_ENV_PROFILE:-default}} ;;
    (1:--profile=?*) profile=${1#--profile=} ;;
    (2:--profile | 2:-p) profile=$2 ;;
    (*) return 1 ;;
    esac
    if [[ ${MFA_ENV_FOLLOW-} == off || $__mfa_env_clock != epochseconds ]] || ! __mfa_env_follow_file "$profile"; then
        return 1
    fi
    if [[ ${AWS_CONFIG_FILE:-$HOME/.aws/config} -nt $__mfa_env_file || ${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials} -nt $__mfa_env_file ]]; then
        return 1
    fi
    local __mfa_env_f_expires __mfa_env_f_kind __mfa_env_f_source __mfa_env_f_key __mfa_env_f_secret \
        __mfa_env_f_token __mfa_env_f_iso __mfa_env_f_region __mfa_env_f_profile __mfa_env_f_arn
    if ! __mfa_env_follow_read || [[ $__mfa_env_f_profile != "$profile" ]]; then
        return 1
    fi
    local -i left=$(( 10#$__mfa_env_f_expires - EPOCHSECONDS )) minutes
    if (( left < 300 )); then return 1; fi
    __mfa_env_follow_export
    local until what='MFA session' text
    \builtin strftime -s until '%H:%M' $__mfa_env_f_expires
    minutes=$(( left / 60 ))
    if [[ $__mfa_env_f_kind == role ]]; then what="role $__mfa_env_f_arn"; fi
    if (( minutes >= 60 )); then
        \builtin printf -v text '%dh%02dm' $(( minutes / 60 )) $(( minutes % 60 ))
    else
        text=${minutes}m
    fi
    \builtin printf 'mfa-env: profile %s: %s until %s (%s left), from the cache\n' "$profile" "$what" "$until" "$text" >&2
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
# MFA_ENV_PROFILE and MFA_ENV_EXPIRES; all empty without a session. It takes over a newer
# session first (see "Sessions that follow you"), as the precmd hook does.
function mfa_env_prompt_update {
    __mfa_env_look
    return 0
}

# Prints the segment, e.g. for PROMPT='$(mfa_env_prompt) %# ' (the hook below avoids that fork).
function mfa_env_prompt {
    mfa_env_prompt_update
    \builtin print -rn -- "$mfa_env_segment"
}

# sysread (zsh/system) reads the expiry in one read(), where `read -d ''` makes one per byte
# and $(<file) reads the whole file, 64 bytes at a time.
typeset -gi __mfa_env_sysread=0
if \builtin zmodload zsh/system 2>/dev/null; then __mfa_env_sysread=1; fi

# Runs before each prompt (precmd): looks again (__mfa_env_look) only when something the
# prompt shows or checks may have changed. What it compares with is what the last look saw:
# the session's variables, the clock short of the segment's next minute and of the next
# renewal check, the follow file's stamp still there (or no follow file still). That is one
# test and one stat, no read, no builtin and no other function: each costs system calls here
# (a function call maps and unmaps a heap), and so no `emulate` either; the test is written to
# mean the same under any options. zsh hands each precmd function the $? from before the
# hooks whatever the last one returned, and __mfa_env_look returns 0 (errexit).
function __mfa_env_precmd {
    [[ $__mfa_env_clock == epochseconds && ${MFA_ENV_EXPIRES-} == "$__mfa_env_seen_expires" && \
        ${MFA_ENV_PROFILE-} == "$__mfa_env_seen_profile" && ${MFA_ENV_FOLLOW-} == "$__mfa_env_seen_follow" && \
        ${MFA_ENV_ROLE_ARN-} == "$__mfa_env_seen_role" && ${NO_COLOR-} == "$__mfa_env_seen_color" && \
        EPOCHSECONDS -ge __mfa_env_seen_at && EPOCHSECONDS -lt __mfa_env_look_at && \
        ( -z $__mfa_env_watch || -e $__mfa_env_watch ) && ( -z $__mfa_env_unborn || ! -e $__mfa_env_unborn ) ]] ||
        __mfa_env_look
}

# Follow, Renew and Warn, then the segment; and what the hook compares with until the next look.
# "\n" is never a value of MFA_ENV_EXPIRES: the first prompt looks.
typeset -g __mfa_env_seen_expires=$'\n' __mfa_env_seen_profile='' __mfa_env_seen_follow='' __mfa_env_seen_role=''
typeset -g __mfa_env_seen_color='' __mfa_env_watch='' __mfa_env_unborn=''
typeset -gi __mfa_env_seen_at=0 __mfa_env_look_at=0 __mfa_env_segment_until=0 __mfa_env_follow_until=0
typeset -gi __mfa_env_never=999999999999999
function __mfa_env_look {
    \builtin emulate -LR zsh
    __mfa_env_follow
    __mfa_env_segment
    __mfa_env_seen_expires=${MFA_ENV_EXPIRES-} __mfa_env_seen_profile=${MFA_ENV_PROFILE-}
    __mfa_env_seen_follow=${MFA_ENV_FOLLOW-} __mfa_env_seen_role=${MFA_ENV_ROLE_ARN-} __mfa_env_seen_color=${NO_COLOR-}
    __mfa_env_seen_at=${EPOCHSECONDS:-0}
    __mfa_env_look_at=$(( __mfa_env_segment_until < __mfa_env_follow_until ? __mfa_env_segment_until : __mfa_env_follow_until ))
    return 0
}

# The follow file of this shell's profile, worked out again only when MFA_ENV_PROFILE changes
# (''): a profile that does not follow). "\n" is never a profile name: the first prompt works it out.
typeset -g __mfa_env_follow_for=$'\n' __mfa_env_follow_path='' __mfa_env_segment_of=''
function __mfa_env_follow_locate {
    __mfa_env_follow_for=${MFA_ENV_PROFILE-} __mfa_env_file=''
    __mfa_env_follow_file "$__mfa_env_follow_for" || :
    __mfa_env_follow_path=$__mfa_env_file
}

# At a look: reads the expiry in this profile's follow file, takes the session over when it
# ends later, else renews or warns when due. Leaves for the hook the stamp to watch (or the
# follow file that is not there yet) and __mfa_env_follow_until, when to look again.
function __mfa_env_follow {
    local __mfa_env_current=${MFA_ENV_EXPIRES-} __mfa_env_data=''
    __mfa_env_watch='' __mfa_env_unborn='' __mfa_env_follow_until=$__mfa_env_never
    [[ ${MFA_ENV_FOLLOW-} == off || -n ${MFA_ENV_ROLE_ARN-} ]] && return 0
    [[ ${MFA_ENV_PROFILE-} == "$__mfa_env_follow_for" ]] || __mfa_env_follow_locate
    [[ -n $__mfa_env_follow_path ]] || return 0
    if [[ ! -f $__mfa_env_follow_path ]]; then
        __mfa_env_unborn=$__mfa_env_follow_path
        return 0
    fi
    __mfa_env_file=$__mfa_env_follow_path
    if (( __mfa_env_sysread )); then
        \builtin sysread -s 16 -i 9 __mfa_env_data 9<"$__mfa_env_file"
    else
        __mfa_env_data=$(<$__mfa_env_file)
    fi
    __mfa_env_data=${__mfa_env_data%%$'\0'*}
    # No stamp has this name when the expiry is not digits: then every prompt looks.
    __mfa_env_watch=$__mfa_env_file@$__mfa_env_data
    case $__mfa_env_data in
    ('' | *[^0-9]* | ?????????????*) return 0 ;;
    esac
    case $__mfa_env_current in
    ('' | *[^0-9]* | ?????????????*) __mfa_env_current=0 ;;
    esac
    if (( 10#$__mfa_env_data > 10#$__mfa_env_current )); then
        __mfa_env_follow_take_over
        # The next prompt looks again: the session taken over may be due for Renew or Warn.
        __mfa_env_follow_until=0
        return 0
    fi
    if [[ $__mfa_env_quiet_for != "$__mfa_env_current" ]] || (( EPOCHSECONDS >= __mfa_env_quiet_until )); then
        __mfa_env_renew_or_warn "$__mfa_env_current"
    fi
    __mfa_env_follow_until=$__mfa_env_quiet_until
}

# The segment, remade only when what it is made of changes (once a minute); and
# __mfa_env_segment_until, when that is next.
function __mfa_env_segment {
    local -i now left minutes rest
    local expires=${MFA_ENV_EXPIRES-} profile text
    # Digits only, at most 12: foreign text never reaches arithmetic, where zsh would run $(…) in it.
    case $expires in
    ('' | *[^0-9]* | ?????????????*)
        typeset -g mfa_env_segment='' mfa_env_segment_text='' mfa_env_segment_level='' __mfa_env_segment_of=''
        __mfa_env_segment_until=$__mfa_env_never
        return 0
        ;;
    esac
    if [[ $__mfa_env_clock == epochseconds ]]; then
        now=$EPOCHSECONDS
    else
        now=$(\command date +%s)
    fi
    left=$(( 10#$expires - now ))
    profile=${MFA_ENV_PROFILE-}
    # The minutes left change one second after the next whole minute; "expired" stays.
    __mfa_env_segment_until=$(( left > 0 ? now + left % 60 + 1 : __mfa_env_never ))
    text="$expires ${NO_COLOR:+1} $(( left > 0 ? left / 60 : -1 )) $profile"
    [[ $text == "$__mfa_env_segment_of" ]] && return 0
    typeset -g __mfa_env_segment_of=$text mfa_env_segment='' mfa_env_segment_text='' mfa_env_segment_level=''
    # A control character in a profile name would reach the terminal as one: shown as `?`.
    case $profile in
    (*[[:cntrl:]]*) profile=${profile//[[:cntrl:]]/?} ;;
    esac
    if (( left <= 0 )); then
        mfa_env_segment_text="${profile:+$profile }expired"
        mfa_env_segment_level=expired
    else
        minutes=$(( left / 60 )) rest=$(( left / 60 % 60 ))
        if (( minutes >= 60 )); then
            mfa_env_segment_text="${profile:+$profile }$(( minutes / 60 ))h${(l:2::0:)rest}m"
        else
            mfa_env_segment_text="${profile:+$profile }${minutes}m"
        fi
        if (( left < 900 )); then mfa_env_segment_level=low; else mfa_env_segment_level=ok; fi
    fi
    text=${mfa_env_segment_text//\%/%%}
    if [[ -n ${NO_COLOR-} || $mfa_env_segment_level == ok ]]; then
        mfa_env_segment=$text
    elif [[ $mfa_env_segment_level == low ]]; then
        mfa_env_segment=$'%{\e[33m%}'$text$'%{\e[0m%}'
    else
        mfa_env_segment=$'%{\e[31m%}'$text$'%{\e[0m%}'
    fi
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
