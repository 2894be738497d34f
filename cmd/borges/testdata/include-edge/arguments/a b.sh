echo "a b"
