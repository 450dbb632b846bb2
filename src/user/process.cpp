// placeholder: the user-mode process arrives in the next commit
