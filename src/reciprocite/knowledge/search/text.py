"""Text processing shared by both search backends: folding, stemming, stop words, snippets.

SQLite's FTS5 has no French stemmer, so the SQLite index stores text already normalised here
(accents folded, lower case, stop words out, Snowball-stemmed). PostgreSQL stems with its own
`fr_unaccent` configuration (unaccent then french_stem: the same fold-then-stem order), and
uses this module only to analyse the query and to build snippets, so that both databases
highlight and expand queries the same way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

import snowballstemmer
from django.utils.html import strip_tags

# Words: letters and digits, no underscore (FTS5 and tsquery syntax characters never survive).
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_STEMMERS = {
    "fr": snowballstemmer.stemmer("french"),
    "ru": snowballstemmer.stemmer("russian"),
    "ar": snowballstemmer.stemmer("arabic"),
}

# French and English function words, and the words of questions ("how do…", "what has…"):
# they carry no topic, and with an OR query they would only add noise.
STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres aussi autre autres aux avaient
    avais avait avant avec avez aviez avions avoir avons ayant c ca car ce ceci cela celle
    celles celui cependant certain certaines certains ces cet cette ceux chaque chez ci
    comme comment d dans de depuis des deux doit donc dont du elle elles en encore entre
    es est et etaient etais etait etant ete etes etre eu eux fait faire fais faut font il
    ils j je jusqu l la le les leur leurs lors lorsque lui m ma mais me meme memes mes moi
    mon n ne ni nos notre nous on ont ou par parce pas peu peut peuvent plus pour pourquoi
    qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses si sien soi
    sommes son sont sous soit sur t ta te tes toi ton tous tout toute toutes tres tu un une
    uns vers via voici voila vos votre vous y ya cas quels quoi sujet exemple exemples
    existe existent trouver cherche recherche
    about after all also an and any are as at be been being but by can could did do does
    doing for from had has have having how i if in into is it its me my of on or our over
    so some such than that the their them then there these they this those to too under
    up was we were what when where which while who whom why will with would you your
    anything something example examples find looking any which whose can should been
    there were has have had did does
    """.split()
)


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped), œ/æ spelled out."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_RAW_WORD_RE = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(fold(word)))


def words(text: str) -> list[str]:
    """The folded words of a text (HTML tags and entities removed first if any)."""
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for raw in _RAW_WORD_RE.findall(text):
        out.extend(_fold_word(raw))
    return out


def _script(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "ru"
        if "\u0600" <= ch <= "\u06ff":
            return "ar"
    return "fr"


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one folded word: Snowball French (Russian/Arabic by script), then a
    trailing mute e dropped, so that "handicapee", "handicape" and "handicap" agree."""
    if word.isdigit():
        return word
    stemmed = _STEMMERS[_script(word)].stemWord(word)
    if len(stemmed) > 4 and stemmed.endswith("e"):
        stemmed = stemmed[:-1]
    return stemmed or word


@lru_cache(maxsize=100_000)
def token_stem(token: str) -> str | None:
    """The stem of a token of displayed text, or None for a stop word (for highlighting)."""
    folded = fold(token)
    if is_stop(folded):
        return None
    return stem(folded)


def is_stop(word: str) -> bool:
    return word in STOP_WORDS or (len(word) == 1 and not word.isdigit())


def index_terms(text: str) -> str:
    """Normalised text for the SQLite FTS5 index: stems of the non-stop words."""
    return " ".join(stem(w) for w in words(text) if not is_stop(w))


# --- snippets ---------------------------------------------------------------------------

# Runs of word characters or of the others: a token is a word when its first character is
# alphanumeric (`[^\W_]` is exactly str.isalnum()).
_TOKEN_RE = re.compile(r"[^\W_]+|[\W_]+", re.UNICODE)


def plain(text: str) -> str:
    """Rich-text (sanitised HTML) to plain text, whitespace collapsed."""
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text))
    return " ".join(text.split())


def snippet(texts: list[str], stems: set[str], *, width: int = 30) -> str:
    """Safe HTML: the window of about `width` words with the most distinct query stems, from
    the text that matches best; the matched words wrapped in <mark>, everything escaped."""
    best: tuple[int, int, list[str], int] | None = None  # (distinct, -order, tokens, start)
    for order, raw in enumerate(texts):
        text = plain(raw or "")
        if not text:
            continue
        tokens = _TOKEN_RE.findall(text)
        word_positions = [i for i, tok in enumerate(tokens) if tok[0].isalnum()]
        if not stems:
            candidate = (0, -order, tokens, 0)
        else:
            hits = []
            hit_stems = []
            for n, i in enumerate(word_positions):
                s = token_stem(tokens[i])
                if s in stems:
                    hits.append(n)
                    hit_stems.append(s)
            if not hits:
                candidate = (0, -order, tokens, 0)
            else:
                best_window = (0, 0)
                for h in hits:
                    start = max(0, h - 3)
                    inside = {
                        hit_stems[k]
                        for k in range(bisect_left(hits, start), len(hits))
                        if hits[k] < start + width
                    }
                    if len(inside) > best_window[0]:
                        best_window = (len(inside), start)
                candidate = (best_window[0], -order, tokens, best_window[1])
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        return ""
    _, _, tokens, start_word = best
    word_positions = [i for i, tok in enumerate(tokens) if tok[0].isalnum()]
    if not word_positions:
        return html.escape("".join(tokens))
    first = word_positions[min(start_word, len(word_positions) - 1)]
    end_index = start_word + width
    last = word_positions[end_index] if end_index < len(word_positions) else len(tokens)
    parts = ["… " if first > 0 else ""]
    for tok in tokens[first:last]:
        if stems and tok[0].isalnum() and token_stem(tok) in stems:
            parts.append(f"<mark>{html.escape(tok)}</mark>")
        else:
            parts.append(html.escape(tok))
    out = "".join(parts).rstrip()
    if last < len(tokens):
        out += " …"
    return out
