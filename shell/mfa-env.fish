# =============================================================================
#
# mfa-env shell integration for fish. Load it from
# ~/.config/fish/conf.d/mfa-env.fish or config.fish:
#
#     mfa-env init fish | source
#
# `mfa-env init fish` prints this file with the path of the mfa-env binary
# filled in; `--no-prompt` leaves out the part that edits fish_right_prompt.
#
# =============================================================================

# The mfa-env binary: every call below runs it by this path, never through PATH.
set -g __mfa_env_bin ::MFA_ENV_BIN::

# =============================================================================
#
# The mfa-env command: login and clear change this shell's variables.
#
# =============================================================================

# Runs mfa-env; for login and clear, sources what it prints, only when it succeeded.
function mfa-env --description 'mfa-env: MFA session credentials for AWS in this shell'
    switch "$argv[1]"
        case login clear
            if builtin contains -- -h $argv; or builtin contains -- --help $argv
                MFA_ENV_SHELL=fish command $__mfa_env_bin $argv
                return
            end
            # A plain `mfa-env login [--profile P]` with a session in the cache: taken up here, no Node.
            if test "$argv[1]" = login; and __mfa_env_cached_login $argv[2..-1]
                return 0
            end
            # Through a pipe into read, not a command substitution: fish gives a substitution
            # the shell's stderr, not this function's, so `mfa-env login 2>/dev/null` would
            # still show mfa-env's messages.
            MFA_ENV_SHELL=fish command $__mfa_env_bin $argv[1] --shell fish $argv[2..-1] | builtin read -lz code
            set -l code_status $pipestatus[1]
            # A failed login prints nothing, and nothing is run: the earlier session stays.
            if test $code_status -eq 0
                builtin printf '%s' "$code" | builtin source
            end
            return $code_status
        case '*'
            MFA_ENV_SHELL=fish command $__mfa_env_bin $argv
    end
end

# =============================================================================
#
# Prompt segment: `PROFILE 11h59m`, yellow under 15 minutes, red when expired.
#
# =============================================================================

# Prints the segment from MFA_ENV_PROFILE and MFA_ENV_EXPIRES; nothing without a session.
# fish has no clock variable: `date +%s` is its one fork, and only while a session is set.
function mfa_env_prompt --description 'mfa-env: the session segment for a prompt'
    set -q MFA_ENV_EXPIRES; or return 0
    # Digits only, at most 12, so math never sees foreign text.
    builtin string match -qr '^[0-9]{1,12}$' -- "$MFA_ENV_EXPIRES"; or return 0
    # The clock the fish_prompt handler just read, when it did: one `date` per render.
    set -l now $__mfa_env_render_now
    set -q __mfa_env_render_now[1]; or set now (command date +%s)
    set -l left (builtin math $MFA_ENV_EXPIRES - $now)
    # One empty string, not an empty list: fish would drop every word joined to an empty list.
    set -l prefix ''
    if test -n "$MFA_ENV_PROFILE"
        # A control character in a profile name would reach the terminal as one: shown as `?`.
        set prefix (builtin string replace -ra '[[:cntrl:]]' '?' -- "$MFA_ENV_PROFILE")' '
    end
    set -l text
    set -l sgr
    if test $left -le 0
        set text {$prefix}expired
        set sgr 31
    else
        set -l minutes (builtin math "floor($left / 60)")
        if test $minutes -ge 60
            set text $prefix(builtin printf '%dh%02dm' (builtin math "floor($minutes / 60)") (builtin math "$minutes % 60"))
        else
            set text {$prefix}{$minutes}m
        end
        if test $left -lt 900
            set sgr 33
        end
    end
    if test -n "$NO_COLOR"; or test -z "$sgr"
        builtin printf '%s' $text
    else
        builtin printf '\e[%sm%s\e[0m' $sgr $text
    end
end

# mfa-env:prompt:begin (`mfa-env init --no-prompt` leaves out this part, up to the end marker)
# Adds the segment to the right prompt, after what an existing fish_right_prompt prints; once.
function __mfa_env_add_to_prompt
    if builtin functions -q fish_right_prompt
        # Already there (init sourced twice, or the user's prompt calls it): leave it.
        builtin functions fish_right_prompt | builtin string match -q '*mfa_env_prompt*'; and return
        builtin functions -e __mfa_env_user_right_prompt
        builtin functions --copy fish_right_prompt __mfa_env_user_right_prompt
        # Your right prompt first (it still sees $status), then the segment.
        function fish_right_prompt --description 'mfa-env: your right prompt, then the session segment'
            __mfa_env_user_right_prompt
            set -l segment (mfa_env_prompt)
            test -n "$segment"; and builtin printf ' %s' $segment
        end
    else
        # The session segment on the right.
        function fish_right_prompt --description 'mfa-env: the session segment'
            mfa_env_prompt
        end
    end
end
__mfa_env_add_to_prompt
# mfa-env:prompt:end

# =============================================================================
#
# Sessions that follow you: each login leaves its session in a follow file in the cache dir
# (NUL-terminated fields, read with `string split0`, never sourced). At each prompt this shell
# takes over a newer session of its profile (Follow), starts one background renewal of a role
# session near its end (Renew), or says once that a session ends soon (Warn).
#
# =============================================================================

# The cache dir: `mfa-env init` fills it in, quoted.
set -g __mfa_env_cache_dir ::MFA_ENV_CACHE_DIR::
# The MFA_ENV_EXPIRES whose renewal was started, and whose end was announced: once per session.
set -g __mfa_env_renewing ''
set -g __mfa_env_warned ''
# When that renewal started, and how long its session has to arrive (seconds).
set -g __mfa_env_renew_started 0
set -g __mfa_env_renew_grace 60
# The session this shell holds and when it took it up (the first look at it here).
set -g __mfa_env_held_for ''
set -g __mfa_env_held_since 0

# Sets __mfa_env_file to the follow file of profile $argv[1]; false when there is none, or for a
# name the cache hashes (fileSafeName in src/store/layout.ts): such profiles do not follow.
function __mfa_env_follow_file
    builtin string match -qr '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$' -- "$argv[1]"; or return 1
    builtin string match -qr '^h-.{32}$' -- "$argv[1]"; and return 1
    set -g __mfa_env_file $__mfa_env_cache_dir/follow-$argv[1].v1
    test -f $__mfa_env_file
end

# Sets the variables exactly as `mfa-env login` does; $argv: the fields (src/store/follow-file.ts).
# A followed session is the profile's own, never an ad hoc role's: MFA_ENV_ROLE_ARN goes.
function __mfa_env_follow_export
    for name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_SESSION_EXPIRATION MFA_ENV_ROLE_ARN
        builtin set -e $name; or builtin true
    end
    builtin set -gx AWS_ACCESS_KEY_ID $argv[4]
    builtin set -gx AWS_SECRET_ACCESS_KEY $argv[5]
    builtin set -gx AWS_SESSION_TOKEN $argv[6]
    builtin set -gx AWS_CREDENTIAL_EXPIRATION $argv[7]
    builtin set -gx MFA_ENV_PROFILE $argv[9]
    builtin set -gx MFA_ENV_EXPIRES $argv[1]
    if test -n "$argv[8]"
        builtin set -gx AWS_REGION $argv[8]
        builtin set -gx AWS_DEFAULT_REGION $argv[8]
    end
end

# Before each prompt: one stat and one short read while nothing changed.
function __mfa_env_follow --on-event fish_prompt
    builtin set -e __mfa_env_render_now
    test "$MFA_ENV_FOLLOW" = off; and return 0
    # An ad hoc role session (login --role-arn) has no follow file: the profile's is another session.
    test -n "$MFA_ENV_ROLE_ARN"; and return 0
    __mfa_env_follow_file "$MFA_ENV_PROFILE"; or return 0
    builtin read -lz expires <$__mfa_env_file 2>/dev/null
    builtin string match -qr '^[0-9]{1,12}$' -- "$expires"; or return 0
    set -l current 0
    builtin string match -qr '^[0-9]{1,12}$' -- "$MFA_ENV_EXPIRES"; and set current $MFA_ENV_EXPIRES
    if test $expires -gt $current
        set -l fields (builtin string split0 <$__mfa_env_file 2>/dev/null)
        if test (count $fields) -eq 10; and test "$fields[9]" = "$MFA_ENV_PROFILE"; and builtin string match -qr '^[0-9]{1,12}$' -- "$fields[1]"
            __mfa_env_follow_export $fields
        end
    else if test "$__mfa_env_renewing" != $current; or test "$__mfa_env_warned" != $current
        __mfa_env_renew_or_warn $current
    end
end

# The prompt's clock lasts one render.
function __mfa_env_forget_clock --on-event fish_preexec
    builtin set -e __mfa_env_render_now
end

# Seconds in MFA_ENV_REFRESH_BEFORE (`600`, `600s`, `10m`, `1h`; default 10m).
function __mfa_env_refresh_before
    set -l parts (builtin string match -r '^([0-9]{1,5})([smh]?)$' -- "$MFA_ENV_REFRESH_BEFORE")
    or set parts 10m 10 m
    switch "$parts[3]"
        case m
            builtin math "$parts[2] * 60"
        case h
            builtin math "$parts[2] * 3600"
        case '*'
            builtin math "$parts[2]"
    end
end

# Near the end of this shell's session ($argv[1]): one background renewal when it can be
# renewed without a code, else one line on stderr 15 minutes before the end.
function __mfa_env_renew_or_warn
    set -l current $argv[1]
    set -g __mfa_env_render_now (command date +%s)
    set -l before (__mfa_env_refresh_before)
    set -l left (builtin math $current - $__mfa_env_render_now)
    if test "$__mfa_env_held_for" != $current
        set -g __mfa_env_held_for $current
        set -g __mfa_env_held_since $__mfa_env_render_now
    end
    test $left -le 0; and return 0
    test $left -gt $before; and test $left -gt 900; and return 0
    set -l fields (builtin string split0 <$__mfa_env_file 2>/dev/null)
    test (count $fields) -eq 10; and test "$fields[1]" = $current; or return 0
    # One renewal per session: when its session has not arrived __mfa_env_renew_grace seconds
    # later, it failed, and the warning below is due.
    if test "$__mfa_env_renewing" = $current
        test (builtin math $__mfa_env_render_now - $__mfa_env_renew_started) -lt $__mfa_env_renew_grace; and return 0
    else if test "$MFA_ENV_REFRESH" != off; and __mfa_env_renewable $fields[2] $fields[3]
        # Not in the session's first minute here: one that arrives inside the window already
        # (it lasts no longer than MFA_ENV_REFRESH_BEFORE) is renewed once a minute, not at every prompt.
        if test $left -le $before; and test (builtin math $__mfa_env_render_now - $__mfa_env_held_since) -ge $__mfa_env_renew_grace
            set -g __mfa_env_renewing $current
            set -g __mfa_env_renew_started $__mfa_env_render_now
            # Disowned at once: no job-control message, and this shell never waits for it.
            MFA_ENV_SHELL=fish command $__mfa_env_bin __renew --profile $fields[9] --after $current </dev/null >/dev/null 2>&1 &
            builtin disown $last_pid 2>/dev/null; or builtin true
        end
        return 0
    end
    if test $left -le 900; and test "$__mfa_env_warned" != $current
        set -g __mfa_env_warned $current
        set -l why 'cannot be renewed without a code'
        test "$__mfa_env_renewing" = $current; and set why 'was not renewed in the background'
        builtin printf 'mfa-env: the session of profile %s ends in %dm and %s; log in again with: mfa-env login --force\n' \
            $fields[9] (builtin math "ceil($left / 60)") $why >&2
    end
end

# True when a role session ($argv: kind, source) can be renewed without a code: its source
# profile has a cached MFA session (GetSessionToken) with more than the cache's 5-minute margin left.
function __mfa_env_renewable
    test "$argv[1]" = role; or return 1
    __mfa_env_follow_file "$argv[2]"; or return 1
    set -l source (builtin string split0 <$__mfa_env_file 2>/dev/null)
    test (count $source) -eq 10; and test "$source[2]" = session; or return 1
    builtin string match -qr '^[0-9]{1,12}$' -- "$source[1]"; or return 1
    test (builtin math $source[1] - $__mfa_env_render_now) -gt 360
end

# `mfa-env login [--profile P]`: takes up the profile's cached session from its follow file
# while it has 5 minutes left and neither AWS file changed since it was written; false (run
# mfa-env) otherwise. The profile as mfa-env picks it: the flag, AWS_PROFILE, the session's, default.
function __mfa_env_cached_login
    set -l profile
    if test (count $argv) -eq 0
        set profile default
        test -n "$MFA_ENV_PROFILE"; and set profile $MFA_ENV_PROFILE
        test -n "$AWS_PROFILE"; and set profile $AWS_PROFILE
    else if test (count $argv) -eq 1; and builtin string match -qr '^--profile=.' -- $argv[1]
        set profile (builtin string replace -- --profile= '' $argv[1])
    else if test (count $argv) -eq 2; and builtin contains -- $argv[1] --profile -p
        set profile $argv[2]
    else
        return 1
    end
    test "$MFA_ENV_FOLLOW" = off; and return 1
    __mfa_env_follow_file "$profile"; or return 1
    set -l config ~/.aws/config
    set -q AWS_CONFIG_FILE[1]; and test -n "$AWS_CONFIG_FILE"; and set config $AWS_CONFIG_FILE
    set -l credentials ~/.aws/credentials
    set -q AWS_SHARED_CREDENTIALS_FILE[1]; and test -n "$AWS_SHARED_CREDENTIALS_FILE"; and set credentials $AWS_SHARED_CREDENTIALS_FILE
    test "$config" -nt $__mfa_env_file; and return 1
    test "$credentials" -nt $__mfa_env_file; and return 1
    set -l fields (builtin string split0 <$__mfa_env_file 2>/dev/null)
    test (count $fields) -eq 10; and test "$fields[9]" = "$profile"; or return 1
    builtin string match -qr '^[0-9]{1,12}$' -- "$fields[1]"; or return 1
    set -l left (builtin math $fields[1] - (command date +%s))
    test $left -ge 300; or return 1
    __mfa_env_follow_export $fields
    set -l what 'MFA session'
    test "$fields[2]" = role; and set what "role $fields[10]"
    set -l minutes (builtin math "floor($left / 60)")
    set -l text {$minutes}m
    test $minutes -ge 60; and set text (builtin printf '%dh%02dm' (builtin math "floor($minutes / 60)") (builtin math "$minutes % 60"))
    builtin printf 'mfa-env: profile %s: %s (%s left), from the cache\n' $profile $what $text >&2
end

# =============================================================================
#
# Tab completion: subcommands, options, and profile names from the AWS files.
#
# =============================================================================

# Asks mfa-env for the candidates of the token under the cursor.
function __mfa_env_complete --description 'mfa-env: completion candidates'
    set -l words (commandline -opc) (commandline -ct)
    command $__mfa_env_bin __complete -- $words[2..-1] 2>/dev/null
end

complete -c mfa-env -e
complete -c mfa-env -f -a '(__mfa_env_complete)'
