;;; dump.el --- print every source block Babel finds, one JSON object a line  -*- lexical-binding: t -*-
;;
;; The reference side of the differential test of Borges' Org reader:
;;   emacs -Q --batch -l dump.el FILE
;; For each block org-babel-map-src-blocks visits, print what
;; org-babel-get-src-block-info (light: nothing resolved, nothing run)
;; returns, in the shape `borges parse' prints.  Errors Babel signals while
;; reading a block are printed as {"line":N,"error":"..."}.

(require 'org)
(require 'ob)
(require 'json)

;; The languages Borges runs, loaded as a user running them from Emacs would.
(org-babel-do-load-languages
 'org-babel-load-languages
 '((emacs-lisp . t) (shell . t) (python . t) (ruby . t) (perl . t) (js . t)))

(setq coding-system-for-write 'utf-8-unix)

(defun borges-dump--value (v)
  (cond ((null v) "")
        ((stringp v) (substring-no-properties v))
        (t (format "%s" v))))

(defun borges-dump--block ()
  (let* ((datum (org-element-context))
         (info (org-babel-get-src-block-info 'light datum)))
    (when info
      (let ((args nil) (vars nil))
        (dolist (p (nth 2 info))
          (cond ((eq (car p) :var)
                 (push (borges-dump--value (cdr p)) vars))
                ;; Text before the first " :" becomes a symbol without
                ;; a colon; Babel never reads it: not a header argument.
                ((keywordp (car p))
                 (push (cons (substring (symbol-name (car p)) 1)
                             (borges-dump--value (cdr p)))
                       args))))
        (princ
         (json-encode
          `((line . ,(line-number-at-pos (org-element-property :begin datum)))
            (name . ,(or (nth 4 info) ""))
            (lang . ,(or (nth 0 info) ""))
            (switches . ,(nth 3 info))
            (body . ,(nth 1 info))
            ;; What Babel evaluates: noweb expanded, coderefs removed.
            ;; Skipped where that would run code (<<name(args)>>).
            (expanded . ,(if (string-match-p "<<[^>\n]*([^>\n]*)>>" (nth 1 info))
                             :json-false
                           (org-babel--expand-body info)))
            (args . ,(if args (nreverse args) (make-hash-table)))
            (vars . ,(vconcat (nreverse vars))))))
        (princ "\n")))))

(let ((file (car command-line-args-left)))
  (setq command-line-args-left nil)
  (with-temp-buffer
    (let ((coding-system-for-read 'utf-8))
      (insert-file-contents file))
    (org-mode)
    ;; #+call: lines, as org-babel-lob-get-info reads them.
    (org-element-map (org-element-parse-buffer) 'babel-call
      (lambda (call)
        (condition-case err
            (let* ((info (org-babel-lob-get-info call))
                   (args nil) (vars nil))
              (dolist (p (nth 2 info))
                (cond ((eq (car p) :var)
                       (push (borges-dump--value (cdr p)) vars))
                      ((keywordp (car p))
                       (push (cons (substring (symbol-name (car p)) 1)
                                   (borges-dump--value (cdr p)))
                             args))))
              (princ (json-encode
                      `((call . t)
                        (line . ,(line-number-at-pos (org-element-property :begin call)))
                        (name . ,(or (org-element-property :call call) ""))
                        (args . ,(if args (nreverse args) (make-hash-table)))
                        (vars . ,(vconcat (nreverse vars))))))
              (princ "\n"))
          (error
           (princ (json-encode `((call . t)
                                 (line . ,(line-number-at-pos (org-element-property :begin call)))
                                 (error . ,(error-message-string err)))))
           (princ "\n")))))
    (org-babel-map-src-blocks nil
      (condition-case err
          (borges-dump--block)
        (error
         (princ (json-encode `((line . ,(line-number-at-pos
                                         (or (org-element-property :begin (org-element-at-point))
                                             (point))))
                               (error . ,(error-message-string err)))))
         (princ "\n"))))))
