;;; eglot_check.el --- Drive editors/emacs/digest-ls.el in a batch Emacs against the real server  -*- lexical-binding: t; -*-

;; Run by tests/nvim/test_other_editors.py as `emacs --batch -q -l eglot_check.el`.
;; Environment: DIGEST_LS_EL_DIR (editors/emacs), DIGEST_LS_PYTHON,
;; DIGEST_LS_WORKSPACE (a git folder with the fixture digests), DIGEST_LS_FILE,
;; DIGEST_LS_EXPECT (the codes to wait for, space-separated),
;; DIGEST_LS_TEST_RESULT (where the diagnostic texts go, one a line).
;; Waits by polling flymake's diagnostics while reading the server's output.

(add-to-list 'load-path (getenv "DIGEST_LS_EL_DIR"))
(require 'digest-ls)
(require 'flymake)

(unless (fboundp 'markdown-mode)
  ;; Only the mode's name matters to Eglot; markdown-mode itself need not be installed.
  (define-derived-mode markdown-mode text-mode "Markdown"))

(defun digest-ls-check--codes (texts)
  "The sorted rule codes in flymake TEXTS such as \"digest-ls [D102]: ...\"."
  (sort (delq nil (mapcar (lambda (text)
                            (and (string-match "\\[\\(D[0-9]+\\)\\]" text) (match-string 1 text)))
                          texts))
        #'string<))

(setq digest-ls-command (list (getenv "DIGEST_LS_PYTHON") "-m" "digest_ls" "serve"))
(setq digest-ls-settings '(:ignore ["D204"]))
(digest-ls-eglot-setup)

(let ((default-directory (file-name-as-directory (getenv "DIGEST_LS_WORKSPACE"))))
  (find-file (expand-file-name (getenv "DIGEST_LS_FILE")))
  (markdown-mode)
  (apply #'eglot (eglot--guess-contact))
  (let ((deadline (+ (float-time) 30))
        (expected (sort (split-string (getenv "DIGEST_LS_EXPECT")) #'string<))
        texts)
    ;; Until exactly the expected codes are shown: settings that reach the
    ;; server after the first lint must still have been applied in the end.
    (while (and (< (float-time) deadline)
                (progn
                  (setq texts (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
                  (not (equal expected (digest-ls-check--codes texts)))))
      (accept-process-output nil 0.05))
    (with-temp-file (getenv "DIGEST_LS_TEST_RESULT")
      (dolist (text texts)
        (insert text "\n")))
    (kill-emacs 0)))
;;; eglot_check.el ends here
