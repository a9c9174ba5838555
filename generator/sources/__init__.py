"""Reading what authors write: the content folder's files, YAML with positions, articles, question
files and their templates, the schema, the configuration; `load` gives the checked library."""
