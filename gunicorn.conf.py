"""gunicorn reads this file from the working directory (the repository root, /app in the image).

The `Server: gunicorn` response header tells an attacker which server and so which bugs to try;
answer with a name that says nothing.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "web"
