/**
 * Français : l'ordinateur autour de la clé (indications d'autorisation, diagnostic), les mots
 * propres de l'application de bureau, et les petits mots communs (mêmes clés que en/system.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';
import { plural } from './plural.js';

export const system: Pick<Catalogue, 'hints' | 'doctor' | 'shell' | 'words'> = {
  hints: {
    permission: {
      linux:
        'Votre utilisateur ne peut pas ouvrir /dev/hidraw* : installez la règle udev pour les clés FIDO (par exemple le paquet Debian/Ubuntu libfido2-1 ou 70-u2f.rules) et rebranchez la clé.',
      win32:
        'Depuis Windows 10 1903, seuls les administrateurs peuvent communiquer directement avec les clés FIDO : exécutez Security Key Manager en tant qu’administrateur, ou utilisez Paramètres Windows › Comptes › Options de connexion › Clé de sécurité.',
      darwin: 'macOS a refusé l’accès à la clé de sécurité : quittez les autres applications qui pourraient la garder ouverte (navigateurs, gestionnaires de mots de passe) et rebranchez la clé.',
      other: 'Le système d’exploitation a refusé l’accès à la clé de sécurité : vérifiez les autorisations de son nœud de périphérique HID USB et rebranchez la clé.',
    },
    nfcGone: 'Approchez votre clé de sécurité du lecteur et maintenez-la dessus.',
  },

  doctor: {
    status: { ok: 'OK', problem: 'Problème', info: 'Remarque', skipped: 'Non vérifié' },
    checks: {
      runtime: 'Versions',
      'node-hid': 'Bibliothèque d’accès USB',
      'hid-devices': 'Clés de sécurité USB',
      'udev-rule': 'Autorisation de périphérique Linux (règle udev)',
      pcscd: 'Service de carte à puce (pour NFC et lecteurs de cartes)',
      readers: 'Lecteurs de cartes',
      'windows-elevation': 'Droits d’administrateur (Windows)',
    },
    results: {
      'runtime-versions': 'Node {{node}}, Electron {{electronText}}, {{platform}} {{arch}}.',
      'hid-loaded': 'La bibliothèque d’accès USB a été chargée.',
      'hid-not-loadable': 'La bibliothèque d’accès USB n’a pas pu être chargée : les clés de sécurité USB ne peuvent pas être utilisées.',
      'hid-none-seen': 'Aucune clé de sécurité USB n’est connectée.',
      'hid-all-openable': plural('{{count}} clé de sécurité USB trouvée, et cette application peut l’ouvrir.', '{{count}} clés de sécurité USB trouvées, et cette application peut toutes les ouvrir.'),
      'hid-not-openable': plural(
        '{{count}} clé de sécurité USB trouvée, mais cette application n’a peut-être pas le droit de l’ouvrir ({{openable}} peuvent être ouvertes).',
        '{{count}} clés de sécurité USB trouvées, mais cette application n’a peut-être pas le droit de toutes les ouvrir ({{openable}} peuvent être ouvertes).',
      ),
      'hid-not-checked': 'Non vérifié, car la bibliothèque d’accès USB ne s’est pas chargée.',
      'udev-rule-present': 'Votre utilisateur peut ouvrir les clés de sécurité (règle dans {{ruleFile}}).',
      'udev-rule-missing': 'Aucune règle udev ne permet à votre utilisateur d’ouvrir les clés de sécurité : les clés USB peuvent apparaître sans pouvoir être ouvertes.',
      'pcscd-running': 'Le service de carte à puce fonctionne.',
      'pcscd-not-running': 'Le service de carte à puce (pcscd) ne fonctionne pas : les clés sur des lecteurs NFC ou de cartes ne peuvent pas être utilisées.',
      'pcscd-no-permission': 'Votre utilisateur n’a pas le droit d’utiliser le service de carte à puce (pcscd).',
      'pcsc-not-loadable': 'La prise en charge des lecteurs de cartes n’a pas pu être chargée : les clés sur des lecteurs NFC ou de cartes ne peuvent pas être utilisées.',
      'readers-found': plural('{{count}} lecteur : {{readerList}}.', '{{count}} lecteurs : {{readerList}}.'),
      'readers-none': 'Aucun lecteur de cartes n’est connecté (nécessaire uniquement pour les clés NFC).',
      'readers-not-checked': 'Non vérifié, car le service de carte à puce n’est pas disponible.',
      elevated: 'L’application s’exécute en tant qu’administrateur : elle peut communiquer directement avec les clés de sécurité.',
      'elevation-not-required': 'Cette version de Windows permet à l’application de communiquer avec les clés de sécurité sans droits d’administrateur.',
      'elevation-required': 'Windows ne permet qu’aux administrateurs de communiquer directement avec les clés de sécurité (depuis Windows 10 version 1903), et cette application ne s’exécute pas en tant qu’administrateur.',
      'elevation-may-be-required': 'Aucune clé n’est affichée ; sans droits d’administrateur, Windows peut masquer les clés de sécurité à cette application (depuis Windows 10 version 1903).',
    },
    fixes: {
      'install-udev-rule': 'Installez la règle udev ci-dessous et rebranchez la clé :\n{{command}}',
      'replug-key': 'Retirez la clé et insérez-la de nouveau.',
      'start-pcscd': {
        text: 'Démarrez le service de carte à puce.',
        linux: 'Démarrez le service de carte à puce : sudo systemctl start pcscd (installez-le d’abord si nécessaire : sudo apt install pcscd).',
      },
      'pcscd-permission': 'Demandez à votre administrateur d’autoriser votre utilisateur à utiliser les cartes à puce (règles polkit pour pcscd).',
      'reinstall-app': 'Réinstallez Security Key Manager.',
      'restart-elevated': {
        text: 'Redémarrez l’application en tant qu’administrateur.',
        cli: 'Exécutez skm depuis un terminal ouvert en tant qu’administrateur.',
        app: 'Choisissez Redémarrer en tant qu’administrateur.',
      },
      'open-windows-settings': {
        text: 'Ou gérez la clé dans Paramètres Windows › Comptes › Options de connexion › Clé de sécurité.',
        app: 'Ou choisissez Ouvrir les Paramètres Windows pour y gérer la clé.',
      },
      'close-other-apps': 'Quittez les autres applications qui pourraient utiliser la clé (navigateurs, gestionnaires de mots de passe).',
    },
    summary: { ok: 'Tout le nécessaire est en place.', problems: plural('{{count}} problème trouvé.', '{{count}} problèmes trouvés.') },
  },

  shell: {
    windowTitle: 'Security Key Manager',
    menu: { keys: 'Clés', addSimulatedKey: 'Ajouter une clé simulée', quit: 'Quitter', view: 'Affichage' },
    actions: { restartElevated: 'Redémarrer en tant qu’administrateur', openWindowsSettings: 'Ouvrir les Paramètres Windows' },
    dialogs: {
      openProfile: 'Ouvrir un profil',
      save: {
        report: 'Où écrire le rapport (il contient les codes PIN)',
        'export-csv': 'Exporter le rapport au format CSV',
        'export-jsonl': 'Exporter le rapport au format JSON Lines',
        policy: 'Enregistrer la stratégie Entra ID',
      },
      filters: { profile: 'Profils (JSON ou YAML)', csv: 'CSV', jsonl: 'JSON Lines', json: 'JSON', all: 'Tous les fichiers' },
    },
    mdsDialogs: {
      blob: 'Ouvrir le BLOB du FIDO Metadata Service',
      root: 'Ouvrir le certificat racine par lequel le BLOB est signé',
      filters: { blob: 'BLOB du Metadata Service (JWT)', root: 'Certificats (PEM)', all: 'Tous les fichiers' },
    },
  },
  words: { none: 'aucun', yes: 'oui', no: 'non', deviceInList: '{{id}} ({{name}})', passkeyInList: '{{credentialId}} ({{rpId}}, {{account}})' },
};
