-- An attempt failed exactly when it was not answered 2xx, so succeeded and
-- response_status_code are not independent, yet PostgreSQL multiplies
-- their selectivities unless told otherwise. For the log filter on a
-- failing class (NOT succeeded AND a 5xx range) it then expected a fifth
-- of the rows there were, and on a deep page sometimes chose to hash every
-- matching attempt over reading the class index in delivery order (32 ms
-- instead of 5). A multivariate MCV list counts the pairs that occur.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- CreateStatistics
CREATE STATISTICS "attempts_outcome_stats" (mcv) ON "succeeded", "response_status_code" FROM "attempts";
