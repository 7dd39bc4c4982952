"""A linear support vector machine trained with LIBLINEAR (the ``liblinear-official`` package, the Python
interface published by LIBLINEAR's authors — the same solver scikit-learn's ``LinearSVC`` wraps).

Why not scikit-learn: importing it costs about two CPU seconds, more than a whole 2,000-record screening
simulation may take; ``liblinear-official`` loads in a fraction of that. A test checks that the scores equal
scikit-learn's ``LinearSVC`` trained with the same weights.

The feature matrix is handed to LIBLINEAR once; each training then names the rows it learns from, so
retraining after every decision costs the solver's time only, not a copy of the data. LIBLINEAR's dual
solver visits the training records in an order drawn with the C library's ``rand()``; it is seeded before
every training, so the same labels always give the same model.
"""

import ctypes
import ctypes.util
import threading

import numpy as np
from liblinear import liblinear as _ll

_RAND_LOCK = threading.Lock()  # seeding and training must not interleave between threads
_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None)


class LinearSVM:
    """L2-regularised squared-hinge-loss SVM (LIBLINEAR solver 1, dual coordinate descent, with a bias
    term) over a fixed sparse matrix ``features`` (CSR, rows = records)."""

    def __init__(self, features, *, C: float, relevant_weight_ratio: float, seed: int = 0, tolerance=0.1):
        self.features = features.tocsr()
        self.C = C
        self.tolerance = tolerance  # LIBLINEAR's stopping tolerance (-e; 0.1 is its default for this solver)
        self.ratio = relevant_weight_ratio
        self.seed = seed
        n = self.features.shape[0]
        self._all = _ll.problem(np.zeros(n), self.features, bias=1)  # every row, in LIBLINEAR's layout
        pointers = ctypes.cast(self._all.x, ctypes.POINTER(ctypes.c_uint64))
        self._row_address = np.ctypeslib.as_array(pointers, (n,)).copy()

    def class_weights(self, y) -> tuple:
        """(weight of a relevant record, weight of an excluded one): the relevant records together carry
        ``ratio`` times the weight of the excluded ones, and the weights average 1 over the records."""
        n1 = int(np.sum(y))
        n0 = len(y) - n1
        w0 = n1 / (self.ratio * n0)  # a relevant record weighs 1 before the scaling
        scale = len(y) / (n1 + n0 * w0)
        return scale, w0 * scale

    def scores(self, rows, y, score_rows=None) -> np.ndarray:
        """Train on ``rows`` (indices into the features) labelled ``y`` (1 relevant / 0 not; both classes
        present) and return the decision value of every record (or of ``score_rows``): higher is more
        probably relevant."""
        rows = np.asarray(rows, dtype=np.int64)
        y = np.asarray(y, dtype=np.float64)
        w1, w0 = self.class_weights(y)
        problem = _ll.problem.__new__(_ll.problem)
        problem.l, problem.n, problem.bias = len(rows), self._all.n, self._all.bias
        problem.y = (ctypes.c_double * len(rows))()
        np.ctypeslib.as_array(problem.y, (len(rows),))[:] = y
        problem.x = (ctypes.POINTER(_ll.feature_node) * len(rows))()
        addresses = ctypes.cast(problem.x, ctypes.POINTER(ctypes.c_uint64))
        np.ctypeslib.as_array(addresses, (len(rows),))[:] = self._row_address[rows]
        parameter = _ll.parameter(f"-s 1 -c {self.C!r} -w1 {w1!r} -w0 {w0!r} -e {self.tolerance!r} -B 1 -q")
        with _RAND_LOCK:
            _LIBC.srand(self.seed)
            model = _ll.toPyModel(_ll.liblinear.train(problem, parameter))
        weights = np.ctypeslib.as_array(model.w, (model.nr_feature + 1,)).copy()
        sign = 1.0 if model.get_labels()[0] == 1 else -1.0  # LIBLINEAR's first class is the first label seen
        matrix = self.features if score_rows is None else self.features[score_rows]
        return sign * (matrix @ weights[:-1] + weights[-1])
