;;; execute.el --- run org-babel-execute-buffer on FILE and print the buffer  -*- lexical-binding: t -*-
;; The reference side of the write-back test: emacs -Q --batch -l execute.el FILE

(require 'org)
(require 'ob)
(org-babel-do-load-languages 'org-babel-load-languages '((shell . t)))
(setq org-confirm-babel-evaluate nil)
(let ((file (car command-line-args-left)))
  (setq command-line-args-left nil)
  (with-temp-buffer
    (insert-file-contents file)
    (org-mode)
    (org-babel-execute-buffer)
    (princ (buffer-string))))
