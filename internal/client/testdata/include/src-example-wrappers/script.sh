
#!/bin/sh
# comment
#+not a keyword
* star
,* comma
echo hi


