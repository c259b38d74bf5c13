/** French texts of the mails the accounts module sends. */
export const accountMails = {
  activation: (name: string, link: string) => ({
    subject: 'Activez votre compte Ouvrage',
    text: `Bonjour ${name},\n\nPour activer votre compte, ouvrez ce lien dans les 60 minutes :\n${link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n`,
  }),
  passwordReset: (name: string, link: string) => ({
    subject: 'Réinitialisation de votre mot de passe',
    text: `Bonjour ${name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les 60 minutes :\n${link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n`,
  }),
  emailChange: (name: string, link: string) => ({
    subject: 'Confirmez votre nouvelle adresse de connexion',
    text: `Bonjour ${name},\n\nPour faire de cette adresse votre adresse de connexion, ouvrez ce lien dans les 60 minutes :\n${link}\n`,
  }),
  emailChanged: (name: string, newEmail: string) => ({
    subject: 'Votre adresse de connexion a changé',
    text: `Bonjour ${name},\n\nVotre adresse de connexion est désormais ${newEmail}. Si vous n'êtes pas à l'origine de ce changement, contactez le gestionnaire de votre structure.\n`,
  }),
  locked: (name: string, minutes: number) => ({
    subject: 'Votre compte est temporairement bloqué',
    text: `Bonjour ${name},\n\nÀ la suite de plusieurs essais de mot de passe erronés, votre compte est bloqué pendant ${minutes} minutes. Vous pouvez réinitialiser votre mot de passe depuis la page de connexion.\n`,
  }),
};
