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
        # A plain `mfa-env login [--profile P]` with a session in the cache: taken up here, no Node.
        if [[ $1 == login ]] && __mfa_env_cached_login "${@:2}"; then
            return 0
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
# The segment changes once a minute: while what it is made of stays the same
# (__mfa_env_segment_of), the last one is kept.
__mfa_env_segment_of='' __mfa_env_segment_until=0 __mfa_env_never=999999999999999
mfa_env_prompt_update() {
    local expires=${MFA_ENV_EXPIRES-}
    # Digits only, at most 12: foreign text never reaches arithmetic, where bash would run $(…) in it.
    case $expires in
    '' | *[!0-9]* | ?????????????*)
        mfa_env_segment='' mfa_env_segment_text='' mfa_env_segment_level='' __mfa_env_segment_of=''
        __mfa_env_segment_until=$__mfa_env_never
        return 0
        ;;
    esac
    __mfa_env_now
    local left=$((10#$expires - __mfa_env_time)) profile=${MFA_ENV_PROFILE-}
    local of="$expires ${NO_COLOR:+1} $((left > 0 ? left / 60 : -1)) $profile"
    # The minutes left change one second after the next whole minute; "expired" stays.
    __mfa_env_segment_until=$((left > 0 ? __mfa_env_time + left % 60 + 1 : __mfa_env_never))
    if [[ $of == "$__mfa_env_segment_of" ]]; then return 0; fi
    __mfa_env_segment_of=$of mfa_env_segment_text='' mfa_env_segment_level=''
    # A control character in a profile name would reach the terminal as one: shown as `?`.
    case $profile in
    *[[:cntrl:]]*) profile=${profile//[[:cntrl:]]/?} ;;
    esac
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

# Runs before each prompt (PROMPT_COMMAND): looks again (__mfa_env_look) only when something
# the prompt shows or checks may have changed, and keeps $? for PS1. What it compares with is
# what the last look saw: the session's variables, the clock short of the segment's next minute
# and of the next renewal check, the follow file's stamp still there (or no follow file still).
# That is one test and one stat, no read. Under `set -e` a failure handed back here would end
# the shell; bash shows PS1 the $? from before PROMPT_COMMAND anyway, so then only later hooks see 0.
__mfa_env_hook() {
    local __mfa_env_status=$?
    [[ $__mfa_env_clock == epochseconds && ${MFA_ENV_EXPIRES-} == "$__mfa_env_seen_expires" &&
        ${MFA_ENV_PROFILE-} == "$__mfa_env_seen_profile" && ${MFA_ENV_FOLLOW-} == "$__mfa_env_seen_follow" &&
        ${MFA_ENV_ROLE_ARN-} == "$__mfa_env_seen_role" && ${NO_COLOR-} == "$__mfa_env_seen_color" &&
        EPOCHSECONDS -ge __mfa_env_seen_at && EPOCHSECONDS -lt __mfa_env_look_at &&
        (-z $__mfa_env_watch || -e $__mfa_env_watch) && (-z $__mfa_env_unborn || ! -e $__mfa_env_unborn) ]] ||
        __mfa_env_look
    case $- in
    *e*) return 0 ;;
    esac
    return "$__mfa_env_status"
}

# Follow, Renew and Warn, then the segment; and what the hook compares with until the next look.
# "\n" is never a value of MFA_ENV_EXPIRES: the first prompt looks.
__mfa_env_seen_expires=$'\n' __mfa_env_seen_profile='' __mfa_env_seen_follow='' __mfa_env_seen_role=''
__mfa_env_seen_color='' __mfa_env_seen_at=0 __mfa_env_look_at=0 __mfa_env_watch='' __mfa_env_unborn=''
__mfa_env_look() {
    __mfa_env_follow
    mfa_env_prompt_update
    __mfa_env_seen_expires=${MFA_ENV_EXPIRES-} __mfa_env_seen_profile=${MFA_ENV_PROFILE-}
    __mfa_env_seen_follow=${MFA_ENV_FOLLOW-} __mfa_env_seen_role=${MFA_ENV_ROLE_ARN-} __mfa_env_seen_color=${NO_COLOR-}
    __mfa_env_seen_at=${EPOCHSECONDS:-0}
    __mfa_env_look_at=$((__mfa_env_segment_until < __mfa_env_follow_until ? __mfa_env_segment_until : __mfa_env_follow_until))
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

# =============================================================================
#
# Sessions that follow you: each login leaves its session in a follow file in the cache dir
# (NUL-terminated fields, read with `read -d ''`, never sourced or evaluated). At each prompt
# this shell takes over a newer session of its profile (Follow), starts one background renewal
# of a role session near its end (Renew), or says once that a session ends soon (Warn).
#
# =============================================================================

# The cache dir: `mfa-env init` fills it in, quoted.
__mfa_env_cache_dir=::MFA_ENV_CACHE_DIR::
# Nothing to renew or announce for the session that ends at __mfa_env_quiet_for until the clock
# reaches __mfa_env_quiet_until (its end, once a renewal was started or the warning printed).
__mfa_env_quiet_for='' __mfa_env_quiet_until=0
# The session a background renewal was started for, and how long it has to arrive (seconds).
__mfa_env_renewed_for='' __mfa_env_renew_grace=60
# When this shell took up the session it holds (the first look at it here).
__mfa_env_held_since=0

# Sets __mfa_env_file to the follow file of profile $1; false when there is none, or for a name
# the cache hashes (fileSafeName in src/store/layout.ts): such profiles do not follow.
__mfa_env_follow_file() {
    case $1 in
    '' | [.-]* | *[!A-Za-z0-9_.-]* | h-???????????????????????????????? | ?????????????????????????????????????????????????????????????????*) return 1 ;;
    esac
    __mfa_env_file=$__mfa_env_cache_dir/follow-$1.v1
    [[ -f $__mfa_env_file ]]
}

# Reads the follow file into the caller's locals __mfa_env_f_* (order: src/store/follow-file.ts).
__mfa_env_follow_read() {
    {
        IFS= \builtin read -r -d '' __mfa_env_f_expires && IFS= \builtin read -r -d '' __mfa_env_f_kind &&
            IFS= \builtin read -r -d '' __mfa_env_f_source && IFS= \builtin read -r -d '' __mfa_env_f_key &&
            IFS= \builtin read -r -d '' __mfa_env_f_secret && IFS= \builtin read -r -d '' __mfa_env_f_token &&
            IFS= \builtin read -r -d '' __mfa_env_f_iso && IFS= \builtin read -r -d '' __mfa_env_f_region &&
            IFS= \builtin read -r -d '' __mfa_env_f_profile && IFS= \builtin read -r -d '' __mfa_env_f_arn
    } <"$__mfa_env_file" 2>/dev/null || return 1
    case $__mfa_env_f_expires in
    '' | *[!0-9]* | ?????????????*) return 1 ;;
    esac
}

# Sets the variables exactly as `mfa-env login` does, from the __mfa_env_f_* just read.
# shellcheck disable=SC2034 # shellcheck does not know `\builtin export` exports
__mfa_env_follow_export() {
    \builtin unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_SESSION_EXPIRATION MFA_ENV_ROLE_ARN
    \builtin export AWS_ACCESS_KEY_ID="$__mfa_env_f_key" AWS_SECRET_ACCESS_KEY="$__mfa_env_f_secret" \
        AWS_SESSION_TOKEN="$__mfa_env_f_token" AWS_CREDENTIAL_EXPIRATION="$__mfa_env_f_iso" \
        MFA_ENV_PROFILE="$__mfa_env_f_profile" MFA_ENV_EXPIRES="$__mfa_env_f_expires"
    if [[ -n $__mfa_env_f_region ]]; then
        \builtin export AWS_REGION="$__mfa_env_f_region" AWS_DEFAULT_REGION="$__mfa_env_f_region"
    fi
}

# The follow file of this shell's profile, worked out again only when MFA_ENV_PROFILE changes
# (''): a profile that does not follow). "\n" is never a profile name: the first prompt works it out.
__mfa_env_follow_for=$'\n' __mfa_env_follow_path=''

# At a look: reads the expiry in this profile's follow file, takes the session over when it
# ends later, else renews or warns when due. Leaves for the hook the stamp to watch (or the
# follow file that is not there yet) and __mfa_env_follow_until, when to look again. The read
# is on fd 9 and without `2>/dev/null`: saving and restoring fd 0 and fd 2 around it cost twice
# the read itself (the file is there: `-f` just said so).
__mfa_env_follow_until=0
__mfa_env_follow() {
    __mfa_env_watch='' __mfa_env_unborn='' __mfa_env_follow_until=$__mfa_env_never
    if [[ ${MFA_ENV_FOLLOW-} == off || -n ${MFA_ENV_ROLE_ARN-} ]]; then return 0; fi
    if [[ ${MFA_ENV_PROFILE-} != "$__mfa_env_follow_for" ]]; then
        __mfa_env_follow_for=${MFA_ENV_PROFILE-} __mfa_env_file=''
        __mfa_env_follow_file "$__mfa_env_follow_for" || :
        __mfa_env_follow_path=$__mfa_env_file
    fi
    [[ -n $__mfa_env_follow_path ]] || return 0
    if [[ ! -f $__mfa_env_follow_path ]]; then
        __mfa_env_unborn=$__mfa_env_follow_path
        return 0
    fi
    local current=${MFA_ENV_EXPIRES-} __mfa_env_f_expires='' __mfa_env_file=$__mfa_env_follow_path
    case $current in
    '' | *[!0-9]* | ?????????????*) current=0 ;;
    esac
    IFS= \builtin read -r -d '' -u 9 __mfa_env_f_expires 9<"$__mfa_env_file" || :
    # No stamp has this name when the expiry is not digits: then every prompt looks.
    __mfa_env_watch=$__mfa_env_file@$__mfa_env_f_expires
    case $__mfa_env_f_expires in
    '' | *[!0-9]* | ?????????????*) return 0 ;;
    esac
    if ((10#$__mfa_env_f_expires > 10#$current)); then
        __mfa_env_follow_take_over
        # The next prompt looks again: the session taken over may be due for Renew or Warn.
        __mfa_env_follow_until=0
        return 0
    fi
    __mfa_env_now
    if [[ $__mfa_env_quiet_for != "$current" ]] || ((__mfa_env_time >= __mfa_env_quiet_until)); then
        __mfa_env_renew_or_warn "$current"
    fi
    __mfa_env_follow_until=$__mfa_env_quiet_until
}

# Takes over the newer session in the follow file (another terminal's login, or a renewal).
__mfa_env_follow_take_over() {
    local __mfa_env_f_expires __mfa_env_f_kind __mfa_env_f_source __mfa_env_f_key __mfa_env_f_secret \
        __mfa_env_f_token __mfa_env_f_iso __mfa_env_f_region __mfa_env_f_profile __mfa_env_f_arn
    if __mfa_env_follow_read && [[ $__mfa_env_f_profile == "${MFA_ENV_PROFILE-}" ]]; then
        __mfa_env_follow_export
    fi
}

# Sets __mfa_env_seconds from MFA_ENV_REFRESH_BEFORE (`600`, `600s`, `10m`, `1h`; default 10m).
__mfa_env_refresh_before() {
    local value=${MFA_ENV_REFRESH_BEFORE:-10m} unit=1
    case $value in
    *s) value=${value%s} ;;
    *m) value=${value%m} unit=60 ;;
    *h) value=${value%h} unit=3600 ;;
    esac
    case $value in
    '' | *[!0-9]* | ??????*) value=10 unit=60 ;;
    esac
    __mfa_env_seconds=$((10#$value * unit))
}

# Near the end of this shell's session ($1): one background renewal when it can be renewed
# without a code, else one line on stderr 15 minutes before the end.
__mfa_env_renew_or_warn() {
    local current=$1 __mfa_env_seconds
    __mfa_env_now
    __mfa_env_refresh_before
    local left=$((10#$current - __mfa_env_time))
    if [[ $__mfa_env_quiet_for != "$current" ]]; then __mfa_env_held_since=$__mfa_env_time; fi
    __mfa_env_quiet_for=$current
    if ((left > __mfa_env_seconds && left > 900)); then
        __mfa_env_quiet_until=$((10#$current - (__mfa_env_seconds > 900 ? __mfa_env_seconds : 900)))
        return 0
    fi
    # An expired session has nothing left to renew or announce: only a new one is looked at.
    if ((left <= 0)); then
        __mfa_env_quiet_until=$__mfa_env_never
        return 0
    fi
    # Look again in a minute, or when the renewal window opens if that is sooner.
    local opens=$((10#$current - __mfa_env_seconds))
    __mfa_env_quiet_until=$((opens > __mfa_env_time && opens < __mfa_env_time + 60 ? opens : __mfa_env_time + 60))
    local __mfa_env_f_expires __mfa_env_f_kind __mfa_env_f_source __mfa_env_f_key __mfa_env_f_secret \
        __mfa_env_f_token __mfa_env_f_iso __mfa_env_f_region __mfa_env_f_profile __mfa_env_f_arn
    if ! __mfa_env_follow_read || [[ $__mfa_env_f_expires != "$current" ]]; then
        return 0
    fi
    # One renewal per session: when its session has not arrived by the next look (a minute on),
    # it failed, and the warning below is due.
    if [[ ${MFA_ENV_REFRESH-} != off && $__mfa_env_renewed_for != "$current" ]] && __mfa_env_renewable; then
        if ((left <= __mfa_env_seconds && __mfa_env_time - __mfa_env_held_since < __mfa_env_renew_grace)); then
            # Not in the session's first minute here: one that arrives inside the window already
            # (it lasts no longer than MFA_ENV_REFRESH_BEFORE) is renewed once a minute, not at every prompt.
            __mfa_env_quiet_until=$((__mfa_env_held_since + __mfa_env_renew_grace))
        elif ((left <= __mfa_env_seconds)); then
            __mfa_env_renewed_for=$current
            __mfa_env_quiet_until=$((__mfa_env_time + __mfa_env_renew_grace))
            # A subshell's background job: no job-control message, and this shell never waits for it.
            (MFA_ENV_SHELL=bash \command "$__mfa_env_bin" __renew --profile "$__mfa_env_f_profile" --after "$current" </dev/null >/dev/null 2>&1 &)
        fi
    elif ((left <= 900)); then
        __mfa_env_quiet_until=$((10#$current))
        __mfa_env_warn "$current" "$left"
    fi
}

# One line on stderr: the session ($1, $2 seconds left) ends soon and needs a login with a code.
__mfa_env_warn() {
    local why='cannot be renewed without a code'
    if [[ $__mfa_env_renewed_for == "$1" ]]; then why='was not renewed in the background'; fi
    \builtin printf 'mfa-env: the session of profile %s ends in %dm and %s; log in again with: mfa-env login --force\n' \
        "$__mfa_env_f_profile" $((($2 + 59) / 60)) "$why" >&2
}

# True when the role session just read can be renewed without a code: its source profile has
# a cached MFA session (GetSessionToken) with more than the cache's 5-minute margin left.
__mfa_env_renewable() {
    if [[ $__mfa_env_f_kind != role ]]; then return 1; fi
    local __mfa_env_file source_expires='' source_kind=''
    __mfa_env_follow_file "$__mfa_env_f_source" || return 1
    { IFS= \builtin read -r -d '' source_expires && IFS= \builtin read -r -d '' source_kind; } <"$__mfa_env_file" 2>/dev/null || return 1
    case $source_expires in
    '' | *[!0-9]* | ?????????????*) return 1 ;;
    esac
    [[ $source_kind == session ]] && ((10#$source_expires - __mfa_env_time > 360))
}

# `mfa-env login [--profile P]`: takes up the profile's cached session from its follow file
# while it has 5 minutes left and neither AWS file changed since it was written; false (run
# mfa-env) otherwise. The profile as mfa-env picks it: the flag, AWS_PROFILE, the session's, default.
__mfa_env_cached_login() {
    local profile
    case $#:${1-} in
    0:) profile=${AWS_PROFILE:-${MFA_ENV_PROFILE:-default}} ;;
    1:--profile=?*) profile=${1#--profile=} ;;
    2:--profile | 2:-p) profile=$2 ;;
    *) return 1 ;;
    esac
    if [[ ${MFA_ENV_FOLLOW-} == off || $__mfa_env_clock == date ]] || ! __mfa_env_follow_file "$profile"; then
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
    __mfa_env_now
    local left=$((10#$__mfa_env_f_expires - __mfa_env_time)) until
    if ((left < 300)); then return 1; fi
    __mfa_env_follow_export
    \builtin printf -v until '%(%H:%M)T' "$__mfa_env_f_expires"
    local what='MFA session' minutes=$((left / 60)) text
    if [[ $__mfa_env_f_kind == role ]]; then what="role $__mfa_env_f_arn"; fi
    if ((minutes >= 60)); then
        \builtin printf -v text '%dh%02dm' $((minutes / 60)) $((minutes % 60))
    else
        text=${minutes}m
    fi
    \builtin printf 'mfa-env: profile %s: %s until %s (%s left), from the cache\n' "$profile" "$what" "$until" "$text" >&2
}

# Back to POSIX mode when the shell was in it (set -o posix sets POSIXLY_CORRECT=y: restore the user's value).
if [[ -n $__mfa_env_posix ]]; then
    \builtin set -o posix
    if [[ $__mfa_env_posix != on ]]; then POSIXLY_CORRECT=$__mfa_env_posix; fi
    if [[ -n $__mfa_env_posix_exported ]]; then \builtin export POSIXLY_CORRECT; fi
fi
