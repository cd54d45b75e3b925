"""Import an existing medborgarlöfte: read a document and extract its structure offline."""
