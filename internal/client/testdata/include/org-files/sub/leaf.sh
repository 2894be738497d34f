echo leaf
