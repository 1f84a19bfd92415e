/** What `mfa-env setup` prints last, on stdout: where mfa_serial went, and how to log in from here. */

/** Without the shell integration loaded, also how to load it in each shell. */
export function nextSteps(profile: string, serial: string, section: string, path: string, integratedShell: string | undefined): string {
  const login = profile === 'default' ? 'mfa-env login' : `mfa-env login --profile ${profile}`;
  const saved = `mfa_serial = ${serial} is saved in ${section} of ${path}.`;
  // Run through the shell function (which passes MFA_ENV_SHELL): nothing more to set up.
  if (integratedShell) return `${saved}\nThe ${integratedShell} integration is loaded; log in with: ${login}\n`;
  return [
    saved,
    '',
    'Next, load the shell integration (once; add the line to your shell\'s startup file):',
    '  bash  ~/.bashrc                   eval "$(mfa-env init bash)"',
    '  zsh   ~/.zshrc                    eval "$(mfa-env init zsh)"',
    '  fish  ~/.config/fish/config.fish  mfa-env init fish | source',
    '',
    `Then, in a new shell: ${login}`,
    '',
  ].join('\n');
}
