"""Known mistakes of the softmax and cross-entropy worksheet, each with the hint a student who made
it gets, in English and French (trusted: loaded by the grading process only)."""

import re

import numpy as np


def _hint(en, fr):
    """A hint in both languages; the French one with a narrow no-break space before ``: ; ? !``."""
    return {"en": en, "fr": re.sub(r" ([:;?!])", "\u202f\\1", fr)}


def _onehot(y, k):
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), np.asarray(y, dtype=int)] = 1.0
    return out


def softmax_wrong_axis(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_not_normalised(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z - z.max(axis=1, keepdims=True))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _log(p):
    """log p, -inf where a probability underflowed to 0 (as the mistake itself would give), silently."""
    with np.errstate(divide="ignore"):
        return np.log(p)


def ce_sum_not_mean(z, y):
    z = np.asarray(z, dtype=float)
    p = _softmax(z)
    return float(-_log(p[np.arange(len(y)), np.asarray(y, dtype=int)]).sum())


def ce_sign(z, y):
    z = np.asarray(z, dtype=float)
    p = _softmax(z)
    return float(_log(p[np.arange(len(y)), np.asarray(y, dtype=int)]).mean())


def ce_all_classes(z, y):
    z = np.asarray(z, dtype=float)
    return float(-_log(_softmax(z)).mean())


def grad_without_mean(z, y):
    z = np.asarray(z, dtype=float)
    return _softmax(z) - _onehot(y, z.shape[1])


def grad_sign(z, y):
    z = np.asarray(z, dtype=float)
    return (_onehot(y, z.shape[1]) - _softmax(z)) / len(y)


def grad_softmax_only(z, y):
    z = np.asarray(z, dtype=float)
    return _softmax(z) / len(y)


MISTAKES = [
    {"id": "softmax-wrong-axis", "function": "softmax", "variant": softmax_wrong_axis,
     "hint": _hint("Each row is one example: normalise along axis=1 (its k logits), not down the batch.",
                   "Chaque ligne est un exemple : normalisez selon axis=1 (ses k logits), pas le long du lot.")},
    {"id": "softmax-not-normalised", "function": "softmax", "variant": softmax_not_normalised,
     "hint": _hint("The probabilities of a row must sum to 1: divide by their sum.",
                   "Les probabilités d'une ligne doivent sommer à 1 : divisez par leur somme.")},
    {"id": "softmax-overflow", "function": "softmax", "detect": "overflowed",
     "hint": _hint("exp overflows for large logits: subtract each row's largest logit first (it changes "
                   "nothing, since softmax(z - c) = softmax(z)).",
                   "exp déborde pour de grands logits : soustrayez d'abord le plus grand logit de chaque ligne "
                   "(cela ne change rien, car softmax(z - c) = softmax(z)).")},
    {"id": "ce-sum-not-mean", "function": "cross_entropy", "variant": ce_sum_not_mean,
     "hint": _hint("The loss of a batch is the mean over its m examples, not their sum: divide by m.",
                   "La perte d'un lot est la moyenne sur ses m exemples, pas leur somme : divisez par m.")},
    {"id": "ce-sign", "function": "cross_entropy", "variant": ce_sign,
     "hint": _hint("The cross-entropy is minus the log-probability of the right class: it is never negative.",
                   "L'entropie croisée est moins le log de la probabilité de la bonne classe : elle n'est "
                   "jamais négative.")},
    {"id": "ce-all-classes", "function": "cross_entropy", "variant": ce_all_classes,
     "hint": _hint("Only the log-probability of each example's own label y_i counts, not every class's.",
                   "Seul compte le log de la probabilité du label y_i de chaque exemple, pas celui de toutes "
                   "les classes.")},
    {"id": "ce-overflow", "function": "cross_entropy", "detect": "overflowed",
     "hint": _hint("log(softmax(z)) overflows for large logits: use log-sum-exp, "
                   "log sum exp(z) = max(z) + log sum exp(z - max(z)).",
                   "log(softmax(z)) déborde pour de grands logits : utilisez log-sum-exp, "
                   "log somme exp(z) = max(z) + log somme exp(z - max(z)).")},
    {"id": "grad-without-mean", "function": "cross_entropy_grad", "variant": grad_without_mean,
     "hint": _hint("The loss is a mean over the batch, so its gradient is divided by m too.",
                   "La perte est une moyenne sur le lot, donc son gradient est divisé par m aussi.")},
    {"id": "grad-sign", "function": "cross_entropy_grad", "variant": grad_sign,
     "hint": _hint("The gradient is softmax(z) - onehot(y), not the other way round: it points uphill.",
                   "Le gradient est softmax(z) - onehot(y), pas l'inverse : il pointe vers la montée.")},
    {"id": "grad-softmax-only", "function": "cross_entropy_grad", "variant": grad_softmax_only,
     "hint": _hint("Subtract 1 at each example's label: the gradient is (softmax(z) - onehot(y)) / m.",
                   "Soustrayez 1 au label de chaque exemple : le gradient est (softmax(z) - onehot(y)) / m.")},
]
