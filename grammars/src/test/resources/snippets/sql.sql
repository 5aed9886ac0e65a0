CREATE TABLE files (
  repo TEXT NOT NULL,
  path TEXT NOT NULL,
  size_bytes BIGINT,
  PRIMARY KEY (repo, path)
);

INSERT INTO files (repo, path, size_bytes) VALUES ('quarry', 'README.md', 1024);

SELECT f.repo, COUNT(*) AS n, SUM(f.size_bytes) AS total
FROM files AS f
LEFT JOIN symbols s ON s.repo = f.repo AND s.path = f.path
WHERE f.size_bytes > 100
GROUP BY f.repo
HAVING COUNT(*) > 1
ORDER BY total DESC
LIMIT 10;
