// libxcrypt: crypt_r verifies htpasswd's bcrypt ($2y$/$2b$) lines.
#include <crypt.h>
