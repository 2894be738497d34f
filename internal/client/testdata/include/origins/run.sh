
echo run
