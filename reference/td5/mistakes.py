"""Known mistakes of TD 5, with the hint each one earns (trusted; loaded by the grading process only).

Each entry names the student function it concerns and one of: ``variant`` (the wrong function,
same signature as the reference, using the reference's own cache format for batch norm), ``law``
(for samplers: the law and scale a wrong sampler draws from), ``detect`` (the name of a predicate
on the output, in ``predicates.py``: the only code a kit carries). Hints name the mistake and the
idea without giving the answer away.
"""

import re

import numpy as np


def _eig(H):
    return np.linalg.eigvalsh(H)


# ---------------------------------------------------------------- I.1

def preact_variance_sigma2(d, sigma):
    return 0.0, sigma**2


def preact_std_not_variance(d, sigma):
    return 0.0, np.sqrt(d) * sigma


def preact_sigma_not_squared(d, sigma):
    return 0.0, d * sigma


def good_sigma_one_over_d(d):
    return 1.0 / d


def good_sigma_sqrt_d(d):
    return np.sqrt(d)


# ---------------------------------------------------------------- I.2 - I.3

def glorot_sigma_sheet_typo(d, n_h):
    return 2 / np.sqrt(d + n_h)


def glorot_sigma_fan_in(d, n_h):
    return np.sqrt(1 / d)


def glorot_sigma_variance(d, n_h):
    return 2 / (d + n_h)


def glorot_normal_sheet_typo(d, n_h):
    return "normal", 2 / np.sqrt(d + n_h)


def glorot_normal_uniform_law(d, n_h):
    return "uniform", np.sqrt(6 / (d + n_h))


def glorot_normal_variance_as_std(d, n_h):
    return "normal", 2 / (d + n_h)


def glorot_limit_sheet_typo(d, n_h):
    return 6 / np.sqrt(d + n_h)


def glorot_limit_no_sqrt(d, n_h):
    return 6 / (d + n_h)


def glorot_limit_is_sigma(d, n_h):
    return np.sqrt(2 / (d + n_h))


def glorot_uniform_sheet_typo(d, n_h):
    return "uniform", 6 / np.sqrt(d + n_h)


def glorot_uniform_normal_law(d, n_h):
    return "normal", np.sqrt(2 / (d + n_h))


# ---------------------------------------------------------------- II

def bn_unbiased_variance(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).sum(axis=0) / (x.shape[0] - 1)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, var, eps)


def bn_eps_outside_sqrt(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    std = np.sqrt(var) + eps
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std**2, 0.0)


def bn_eps_forgotten(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var)
    return gamma * x_hat + beta, (x_hat, gamma, var, 0.0)


def bn_beta_forgotten(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat, (x_hat, gamma, var, eps)


def bn_divided_by_variance(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / (var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, (var + eps) ** 2, 0.0)


def _bn_parts(dout, cache):
    x_hat, gamma, var, eps = cache
    return x_hat, gamma, np.sqrt(var + eps), dout.shape[0]


def bn_dgamma_not_summed(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout * gamma
    dx = (m * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)) / (m * std)
    return dx, dout * x_hat, dout.sum(axis=0)


def bn_dbeta_not_summed(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout * gamma
    dx = (m * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)) / (m * std)
    return dx, (dout * x_hat).sum(axis=0), dout


def bn_dx_missing_mean_term(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout * gamma
    dx = (m * g - x_hat * (g * x_hat).sum(axis=0)) / (m * std)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def bn_dx_missing_variance_term(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout * gamma
    dx = (m * g - g.sum(axis=0)) / (m * std)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def bn_dx_gamma_forgotten(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout
    dx = (m * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)) / (m * std)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def bn_dx_diagonal_jacobian(dout, cache):
    # the batch mean and variance taken as constants: common in public cs231n code
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def bn_dx_sums_not_means(dout, cache):
    x_hat, gamma, std, m = _bn_parts(dout, cache)
    g = dout * gamma
    dx = (g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# ---------------------------------------------------------------- III

def quadratic_missing_half(w, w_star, H, c_star):
    u = w - w_star
    return c_star + u @ H @ u


def quadratic_missing_c_star(w, w_star, H, c_star):
    u = w - w_star
    return 0.5 * u @ H @ u


def quadratic_minus_sign(w, w_star, H, c_star):
    u = w - w_star
    return c_star - 0.5 * u @ H @ u


def gd_one_step_too_many(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((1 - step * lam) ** (t + 1) * (U.T @ (w0 - w_star)))


def gd_one_step_too_few(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((1 - step * lam) ** (t - 1) * (U.T @ (w0 - w_star)))


def gd_step_times_lambda(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((step * lam) ** t * (U.T @ (w0 - w_star)))


def optimal_step_one_over_max(H):
    return 1 / _eig(H)[-1]


def optimal_step_is_max_step(H):
    return 2 / _eig(H)[-1]


def optimal_step_unsorted(H):
    lam = np.linalg.eig(H)[0].real
    return 2 / (lam[0] + lam[-1])


def max_step_one_over_max(H):
    return 1 / _eig(H)[-1]


def max_step_two_over_min(H):
    return 2 / _eig(H)[0]


def gd_missing_w_star(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return U @ ((1 - step * lam) ** t * (U.T @ (w0 - w_star)))


def rate_squared(H):
    lam = _eig(H)
    kappa = lam[-1] / lam[0]
    return ((kappa - 1) / (kappa + 1)) ** 2


def rate_one_minus_inverse_kappa(H):
    lam = _eig(H)
    return 1 - lam[0] / lam[-1]


def rate_kappa_inverted(H):
    lam = _eig(H)
    kappa = lam[0] / lam[-1]
    return (kappa - 1) / (kappa + 1)


def _hint(en, fr):
    """A hint in both languages; the French one with French typography: a narrow no-break space
    before ``: ; ? !``, so that a line never starts with one."""
    return {"en": en, "fr": re.sub(r" ([:;?!])", "\u202f\\1", fr)}


MISTAKES = [
    {"id": "preact-variance-sigma2", "function": "preactivation_stats", "variant": preact_variance_sigma2,
     "hint": _hint("The variance of a sum of d independent terms is the sum of their d variances.",
                   "La variance d'une somme de d termes indépendants est la somme de leurs d variances.")},
    {"id": "preact-std-not-variance", "function": "preactivation_stats", "variant": preact_std_not_variance,
     "hint": _hint("You returned a standard deviation: the question asks for the variance.",
                   "Vous avez renvoyé un écart type : la question demande la variance.")},
    {"id": "preact-sigma-not-squared", "function": "preactivation_stats", "variant": preact_sigma_not_squared,
     "hint": _hint("Var(w_i x_i) involves the variance of w_i, which is sigma squared, not sigma.",
                   "Var(w_i x_i) fait intervenir la variance de w_i, c'est-à-dire sigma au carré, pas sigma.")},
    {"id": "good-sigma-one-over-d", "function": "good_sigma", "variant": good_sigma_one_over_d,
     "hint": _hint("1/d makes the variance d*sigma^2 equal to 1/d, not 1: solve for sigma, not for sigma^2.",
                   "1/d donne une variance d*sigma^2 égale à 1/d, pas 1 : résolvez pour sigma, pas pour sigma^2.")},
    {"id": "good-sigma-sqrt-d", "function": "good_sigma", "variant": good_sigma_sqrt_d,
     "hint": _hint("The variance grows with d, so sigma must shrink as d grows.",
                   "La variance croît avec d, donc sigma doit décroître quand d augmente.")},
    {"id": "glorot-sigma-sheet-typo", "function": "glorot_sigma", "variant": glorot_sigma_sheet_typo,
     "hint": _hint("This is the formula as printed on the sheet, which has a typo: Keras' Glorot normal makes "
                   "the *variance* 2/(d+N_h).",
                   "C'est la formule imprimée sur la feuille, qui contient une coquille : le Glorot normal de Keras "
                   "donne une *variance* de 2/(d+N_h).")},
    {"id": "glorot-sigma-fan-in", "function": "glorot_sigma", "variant": glorot_sigma_fan_in,
     "hint": _hint("You used only the fan-in d (LeCun's rule); Glorot averages the fan-in and the fan-out N_h.",
                   "Vous n'utilisez que d (règle de LeCun) ; Glorot fait la moyenne de d et de N_h.")},
    {"id": "glorot-sigma-variance", "function": "glorot_sigma", "variant": glorot_sigma_variance,
     "hint": _hint("You returned the variance; the function returns the standard deviation sigma.",
                   "Vous avez renvoyé la variance ; la fonction renvoie l'écart type sigma.")},
    {"id": "glorot-normal-sheet-typo", "function": "glorot_normal", "law": glorot_normal_sheet_typo,
     "hint": _hint("Your samples have the spread printed on the sheet (a typo): check the standard deviation you "
                   "pass to the sampler.",
                   "Vos tirages ont la dispersion imprimée sur la feuille (une coquille) : vérifiez l'écart type "
                   "donné au générateur.")},
    {"id": "glorot-normal-uniform-law", "function": "glorot_normal", "law": glorot_normal_uniform_law,
     "hint": _hint("Your samples are uniform with the right variance: Glorot *normal* draws from a Gaussian.",
                   "Vos tirages sont uniformes avec la bonne variance : Glorot *normal* tire selon une gaussienne.")},
    {"id": "glorot-normal-variance-as-std", "function": "glorot_normal", "law": glorot_normal_variance_as_std,
     "hint": _hint("numpy's normal() takes a standard deviation; you passed the variance.",
                   "normal() de numpy prend un écart type ; vous lui avez donné la variance.")},
    {"id": "glorot-limit-sheet-typo", "function": "glorot_uniform_limit", "variant": glorot_limit_sheet_typo,
     "hint": _hint("This is the sheet's printed formula, which has a typo: the square root covers the whole "
                   "fraction 6/(d+N_h).",
                   "C'est la formule imprimée sur la feuille, avec une coquille : la racine porte sur toute la "
                   "fraction 6/(d+N_h).")},
    {"id": "glorot-limit-no-sqrt", "function": "glorot_uniform_limit", "variant": glorot_limit_no_sqrt,
     "hint": _hint("U(-a, a) has variance a^2/3: the limit is a square root.",
                   "U(-a, a) a pour variance a^2/3 : la borne est une racine carrée.")},
    {"id": "glorot-limit-is-sigma", "function": "glorot_uniform_limit", "variant": glorot_limit_is_sigma,
     "hint": _hint("That is the Glorot normal sigma; a uniform law with limit a has standard deviation a/sqrt(3).",
                   "C'est le sigma de Glorot normal ; une loi uniforme de borne a a pour écart type a/sqrt(3).")},
    {"id": "glorot-uniform-sheet-typo", "function": "glorot_uniform", "law": glorot_uniform_sheet_typo,
     "hint": _hint("Your samples spread up to the sheet's printed limit (a typo): check the bound of the interval.",
                   "Vos tirages s'étendent jusqu'à la borne imprimée sur la feuille (une coquille) : vérifiez la "
                   "borne de l'intervalle.")},
    {"id": "glorot-uniform-normal-law", "function": "glorot_uniform", "law": glorot_uniform_normal_law,
     "hint": _hint("Your samples are Gaussian with the right variance: Glorot *uniform* draws from U(-a, a).",
                   "Vos tirages sont gaussiens avec la bonne variance : Glorot *uniforme* tire selon U(-a, a).")},
    {"id": "bn-unbiased-variance", "function": "bn_forward", "variant": bn_unbiased_variance,
     "hint": _hint("You used the unbiased variance 1/(m-1); batch norm normalises with the batch variance 1/m.",
                   "Vous utilisez la variance non biaisée 1/(m-1) ; la batch norm normalise avec la variance du "
                   "batch 1/m.")},
    {"id": "bn-eps-outside-sqrt", "function": "bn_forward", "variant": bn_eps_outside_sqrt,
     "hint": _hint("eps goes inside the square root, added to the variance.",
                   "eps se place sous la racine, ajouté à la variance.")},
    {"id": "bn-eps-forgotten", "function": "bn_forward", "variant": bn_eps_forgotten,
     "hint": _hint("eps is missing: it keeps the division stable when a feature barely varies.",
                   "eps est oublié : il stabilise la division quand une composante varie peu.")},
    {"id": "bn-beta-forgotten", "function": "bn_forward", "variant": bn_beta_forgotten,
     "hint": _hint("The output is an affine map of x_hat: the shift beta is missing.",
                   "La sortie est une transformation affine de x_hat : le décalage beta manque.")},
    {"id": "bn-divided-by-variance", "function": "bn_forward", "variant": bn_divided_by_variance,
     "hint": _hint("You divided by the variance; normalising divides by a standard deviation.",
                   "Vous divisez par la variance ; normaliser, c'est diviser par un écart type.")},
    {"id": "bn-dgamma-not-summed", "function": "bn_backward", "variant": bn_dgamma_not_summed,
     "hint": _hint("gamma is shared by the whole batch, so its gradient sums the contributions of the m examples.",
                   "gamma est partagé par tout le batch : son gradient somme les contributions des m exemples.")},
    {"id": "bn-dbeta-not-summed", "function": "bn_backward", "variant": bn_dbeta_not_summed,
     "hint": _hint("beta is shared by the whole batch, so its gradient sums over the batch axis.",
                   "beta est partagé par tout le batch : son gradient somme sur l'axe du batch.")},
    {"id": "bn-dx-missing-mean-term", "function": "bn_backward", "variant": bn_dx_missing_mean_term,
     "hint": _hint("dx misses the path through the batch mean mu_B: every x_i also moves the mean.",
                   "dx oublie le chemin par la moyenne mu_B : chaque x_i modifie aussi la moyenne.")},
    {"id": "bn-dx-missing-variance-term", "function": "bn_backward", "variant": bn_dx_missing_variance_term,
     "hint": _hint("dx misses the path through the batch variance sigma_B^2: every x_i also changes it.",
                   "dx oublie le chemin par la variance sigma_B^2 : chaque x_i la modifie aussi.")},
    {"id": "bn-dx-gamma-forgotten", "function": "bn_backward", "variant": bn_dx_gamma_forgotten,
     "hint": _hint("The gradient reaching x_hat is dout times gamma (y = gamma x_hat + beta).",
                   "Le gradient qui arrive sur x_hat vaut dout fois gamma (y = gamma x_hat + beta).")},
    {"id": "bn-dx-diagonal-jacobian", "function": "bn_backward", "variant": bn_dx_diagonal_jacobian,
     "hint": _hint("dx treats the batch mean and variance as constants: each x_i also moves mu_B and sigma_B^2, "
                   "which every output depends on.",
                   "dx traite la moyenne et la variance du batch comme des constantes : chaque x_i déplace aussi "
                   "mu_B et sigma_B^2, dont dépendent toutes les sorties.")},
    {"id": "bn-dx-sums-not-means", "function": "bn_backward", "variant": bn_dx_sums_not_means,
     "hint": _hint("The mean and variance terms of dx average over the batch: divide their sums by m.",
                   "Les termes de moyenne et de variance de dx sont des moyennes sur le batch : divisez leurs "
                   "sommes par m.")},
    {"id": "counterexample-isotropic", "function": "gradient_counterexample", "detect": "counterexample_isotropic",
     "hint": _hint("With H proportional to the identity the gradient always points at the optimum: the level "
                   "sets must be elongated.",
                   "Avec H proportionnelle à l'identité, le gradient pointe toujours vers l'optimum : il faut des "
                   "lignes de niveau allongées.")},
    {"id": "counterexample-eigenvector", "function": "gradient_counterexample", "detect": "counterexample_eigenvector",
     "hint": _hint("w - w_star is an eigenvector of H, so the gradient is colinear with it: move w off the axes.",
                   "w - w_star est un vecteur propre de H, donc le gradient lui est colinéaire : éloignez w des axes.")},
    {"id": "quadratic-missing-half", "function": "quadratic_value", "variant": quadratic_missing_half,
     "hint": _hint("A second-order Taylor expansion has a factor 1/2 in front of the Hessian term.",
                   "Un développement de Taylor à l'ordre 2 a un facteur 1/2 devant le terme du hessien.")},
    {"id": "quadratic-missing-c-star", "function": "quadratic_value", "variant": quadratic_missing_c_star,
     "hint": _hint("The value at the optimum, C(w*), is missing.", "La valeur à l'optimum, C(w*), manque.")},
    {"id": "quadratic-minus-sign", "function": "quadratic_value", "variant": quadratic_minus_sign,
     "hint": _hint("w* is a minimum, so C(w) is never below C(w*): check the sign of the quadratic term.",
                   "w* est un minimum, donc C(w) n'est jamais sous C(w*) : vérifiez le signe du terme quadratique.")},
    {"id": "gd-one-step-too-many", "function": "gd_iterate", "variant": gd_one_step_too_many,
     "hint": _hint("Off by one: w_0 is the start, so w_t has taken exactly t steps.",
                   "Décalage d'une itération : w_0 est le point de départ, w_t a fait exactement t pas.")},
    {"id": "gd-one-step-too-few", "function": "gd_iterate", "variant": gd_one_step_too_few,
     "hint": _hint("Off by one: w_t has taken exactly t steps, w_1 one step.",
                   "Décalage d'une itération : w_t a fait exactement t pas, w_1 un seul.")},
    {"id": "gd-missing-w-star", "function": "gd_iterate", "variant": gd_missing_w_star,
     "hint": _hint("This is w_t - w_star: the closed form gives the distance to the optimum, add w_star back.",
                   "C'est w_t - w_star : la forme close donne l'écart à l'optimum, rajoutez w_star.")},
    {"id": "gd-step-times-lambda", "function": "gd_iterate", "variant": gd_step_times_lambda,
     "hint": _hint("Each step multiplies the component along u_i by (1 - step*lambda_i), not by step*lambda_i.",
                   "Chaque pas multiplie la composante selon u_i par (1 - pas*lambda_i), pas par pas*lambda_i.")},
    {"id": "optimal-step-one-over-max", "function": "optimal_step", "variant": optimal_step_one_over_max,
     "hint": _hint("1/lambda_max is safe but not optimal: the optimal step balances the slowest and the fastest "
                   "directions.",
                   "1/lambda_max est sûr mais pas optimal : le pas optimal équilibre la direction la plus lente et "
                   "la plus rapide.")},
    {"id": "optimal-step-is-max-step", "function": "optimal_step", "variant": optimal_step_is_max_step,
     "hint": _hint("That is the largest step that still converges, not the one that converges fastest.",
                   "C'est le plus grand pas qui converge encore, pas celui qui converge le plus vite.")},
    {"id": "optimal-step-unsorted", "function": "optimal_step", "variant": optimal_step_unsorted,
     "hint": _hint("np.linalg.eig does not sort the eigenvalues: the first and last are not the extremes.",
                   "np.linalg.eig ne trie pas les valeurs propres : la première et la dernière ne sont pas les "
                   "extrêmes.")},
    {"id": "max-step-one-over-max", "function": "max_step", "variant": max_step_one_over_max,
     "hint": _hint("Gradient descent still converges beyond 1/lambda_max: find where |1 - step*lambda| reaches 1.",
                   "La descente converge encore au-delà de 1/lambda_max : cherchez où |1 - pas*lambda| atteint 1.")},
    {"id": "max-step-two-over-min", "function": "max_step", "variant": max_step_two_over_min,
     "hint": _hint("The step must suit every direction: the most curved one (largest eigenvalue) limits it.",
                   "Le pas doit convenir à toutes les directions : la plus courbée (plus grande valeur propre) le "
                   "limite.")},
    {"id": "rate-one-minus-inverse-kappa", "function": "convergence_rate", "variant": rate_one_minus_inverse_kappa,
     "hint": _hint("1 - 1/kappa is the rate with the step 1/lambda_max; with the optimal step the rate is smaller.",
                   "1 - 1/kappa est le taux avec le pas 1/lambda_max ; avec le pas optimal le taux est plus petit.")},
    {"id": "rate-squared", "function": "convergence_rate", "variant": rate_squared,
     "hint": _hint("That is the rate of C(w_t) - C(w_star), the square of the rate of ||w_t - w_star||, "
                   "which the question asks for.",
                   "C'est le taux de C(w_t) - C(w_star), le carré du taux de ||w_t - w_star||, celui demandé.")},
    {"id": "rate-kappa-inverted", "function": "convergence_rate", "variant": rate_kappa_inverted,
     "hint": _hint("The condition number is lambda_max/lambda_min (at least 1); yours is inverted.",
                   "Le conditionnement vaut lambda_max/lambda_min (au moins 1) ; le vôtre est inversé.")},
]
