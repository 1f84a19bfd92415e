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
    set -l left (builtin math $MFA_ENV_EXPIRES - (command date +%s))
    # One empty string, not an empty list: fish would drop every word joined to an empty list.
    set -l prefix ''
    if test -n "$MFA_ENV_PROFILE"
        set prefix "$MFA_ENV_PROFILE "
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
