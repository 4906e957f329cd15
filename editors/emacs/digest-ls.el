;;; digest-ls.el --- Eglot setup for digest-ls, the arXiv digest language server  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Registers the digest-ls language server with Eglot for Markdown buffers and
;; passes its settings through `eglot-workspace-configuration'.
;;
;;   (add-to-list 'load-path "/path/to/digest-ls/editors/emacs")
;;   (require 'digest-ls)
;;   (setq digest-ls-settings '(:ignore ["D304"] :severity (:D205 "hint")))
;;   (digest-ls-eglot-setup)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)
;;
;; Eglot is built into Emacs 29; on Emacs 28 install it from GNU ELPA.

;;; Code:

(require 'eglot)

(defgroup digest-ls nil
  "The digest-ls language server for arXiv digest Markdown files."
  :group 'eglot
  :prefix "digest-ls-")

(defcustom digest-ls-command '("digest-ls" "serve")
  "Command line that starts the server over stdio.
When `digest-ls' is not on `exec-path' but a Python has the package,
use (\"/path/to/python\" \"-m\" \"digest_ls\" \"serve\")."
  :type '(repeat string))

(defcustom digest-ls-major-modes '(markdown-mode gfm-mode markdown-ts-mode)
  "Major modes in which Eglot may start digest-ls."
  :type '(repeat symbol))

(defcustom digest-ls-settings nil
  "Settings of the \"digest-ls\" section, as a plist with camelCase keys.
For example (:ignore [\"D304\"] :severity (:D205 \"hint\") :debounceMs 300).
Lists are vectors; false is `:json-false'.  The keys are those of the
VS Code extension: select, ignore, severity, extraPlaceholders,
requiredFields, allowedCategories, exclude, perPaperIgnores, debounceMs,
hoverAbstractLength, completionLimit, outline, indexInclude, indexExclude,
metadataFiles."
  :type 'plist)

(defconst digest-ls-fix-all-kind "source.fixAll.digest-ls"
  "The code action kind that applies every mechanical fix.")

(defun digest-ls--contact (&optional _interactive)
  "The server command, read when Eglot starts so customizations apply."
  digest-ls-command)

(defvar digest-ls--other-configuration nil
  "The default `eglot-workspace-configuration' found by `digest-ls-eglot-setup'.
Kept so that the other servers' sections still reach them.")

(defun digest-ls--workspace-configuration (server)
  "The workspace configuration for SERVER: the other sections plus \"digest-ls\".
Read each time a server asks, so changes to `digest-ls-settings' apply
after \\[eglot-signal-didChangeConfiguration] without calling the setup again."
  (let ((others (if (functionp digest-ls--other-configuration)
                    (funcall digest-ls--other-configuration server)
                  digest-ls--other-configuration)))
    (plist-put (copy-sequence others) :digest-ls (or digest-ls-settings (make-hash-table)))))

;;;###autoload
(defun digest-ls-eglot-setup ()
  "Register digest-ls with Eglot for `digest-ls-major-modes'.
A directory-local `eglot-workspace-configuration' replaces this one: add
a :digest-ls section to it there."
  (interactive)
  (add-to-list 'eglot-server-programs (cons digest-ls-major-modes #'digest-ls--contact))
  (let ((current (default-value 'eglot-workspace-configuration)))
    (unless (eq current #'digest-ls--workspace-configuration)
      (setq digest-ls--other-configuration current)
      (setq-default eglot-workspace-configuration #'digest-ls--workspace-configuration))))

;;;###autoload
(defun digest-ls-fix-all ()
  "Apply every mechanical digest-ls fix in the current buffer."
  (interactive)
  (eglot-code-actions (point-min) (point-max) digest-ls-fix-all-kind t))

(provide 'digest-ls)
;;; digest-ls.el ends here
