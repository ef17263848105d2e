"""Data files shipped with sfxgen (the CC0 UCS list under ucs/)."""
