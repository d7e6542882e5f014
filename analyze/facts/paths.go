package facts

import (
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// This file holds the path facts of RULES.md §2.1: every folded string
// constant in a path context (read and write sinks, endpoint and download
// calls, path-named bindings that reach them, magic and shell lines),
// classified, with the config key the emitter lifts it to. NB301–NB308,
// NB404 and NB705 read them; the emitter uses them to move paths into
// config without detecting them again.

// PathClass is the location class of a path value (RULES.md §2.1.2; the
// first matching class in this order wins).
type PathClass string

const (
	ClassNone         PathClass = ""
	ClassDBURI        PathClass = "db-uri"        // postgresql://…, jdbc:…  (NB306)
	ClassODBC         PathClass = "odbc"          // DRIVER=…;SERVER=…  (NB306)
	ClassCloudURI     PathClass = "cloud-uri"     // s3://bucket/…, dbfs:/…  (NB306)
	ClassCloudHTTP    PathClass = "cloud-http"    // https://bucket.s3.amazonaws.com/…  (NB306)
	ClassLocalhost    PathClass = "localhost"     // http://localhost:8080/…  (NB306)
	ClassGSheet       PathClass = "google-sheet"  // docs.google.com/spreadsheets/d/…  (NB304, NB305)
	ClassHTTPData     PathClass = "http-data"     // a data file over HTTP  (NB305)
	ClassHTTP         PathClass = "http-url"      // another http(s) URL
	ClassPersonal     PathClass = "personal"      // ~/Downloads, /content/drive, /kaggle/input  (NB302)
	ClassWinDrive     PathClass = "windows-drive" // C:\…  (NB301)
	ClassUNC          PathClass = "unc"           // \\server\share  (NB301)
	ClassUserHome     PathClass = "user-home"     // /Users/<u>, /home/<u>, /root  (NB301)
	ClassTilde        PathClass = "tilde"         // ~/…  (NB301)
	ClassSystem       PathClass = "system"        // /dev, /proc, /etc, /usr …  (allowed)
	ClassTmp          PathClass = "tmp"           // /tmp, /var/tmp  (info)
	ClassPosixAbs     PathClass = "posix-absolute"
	ClassRelativeData PathClass = "relative-data" // data/x.csv  (NB303)
	ClassRelative     PathClass = "relative"      // another relative path
)

// Absolute reports whether the class is a local absolute location (NB301 or
// NB302 territory).
func (c PathClass) Absolute() bool {
	switch c {
	case ClassPersonal, ClassWinDrive, ClassUNC, ClassUserHome, ClassTilde, ClassPosixAbs:
		return true
	}
	return false
}

// Endpoint reports whether the class is a storage or database endpoint
// (NB306).
func (c PathClass) Endpoint() bool {
	switch c {
	case ClassDBURI, ClassODBC, ClassCloudURI, ClassCloudHTTP, ClassLocalhost:
		return true
	}
	return false
}

// Remote reports whether the class is fetched over the network.
func (c PathClass) Remote() bool {
	switch c {
	case ClassCloudURI, ClassCloudHTTP, ClassGSheet, ClassHTTPData, ClassHTTP:
		return true
	}
	return false
}

// Direction says whether a sink reads or writes its path.
type Direction string

const (
	DirNone  Direction = ""      // a path constructor or a directory change
	DirRead  Direction = "read"  // read sinks, downloads, connections
	DirWrite Direction = "write" // write sinks
)

// Role is the kind of path context a value was found in (RULES.md §2.1.1).
type Role string

const (
	RoleFile     Role = "file"     // a file read or write sink (pd.read_csv, to_csv, open …)
	RoleEndpoint Role = "endpoint" // a connection (create_engine, sqlite3.connect, read_sql con=)
	RoleURL      Role = "url"      // a network fetch (requests.get, urlretrieve, wget.download …)
	RoleCtor     Role = "ctor"     // a path constructor (Path(...)) not reaching another sink
	RoleMagic    Role = "magic"    // a magic or shell line (%cd P, !wget -P P, %%writefile P)
	RoleBinding  Role = "binding"  // a path-named binding that reaches no sink (info only)
)

// PathUse is one folded string constant in a path context. Several uses can
// share one literal (a DATA_DIR constant read by three sinks): they share
// Cell/Node/Pos and ConfigKey.
type PathUse struct {
	// Cell, Node, Pos and End locate the literal the finding goes on: the
	// sink argument itself when the value is written inline, else the value
	// of the innermost name binding that carries the classified prefix
	// (DATA_DIR = "~/data" for pd.read_csv(f"{DATA_DIR}/x.csv")). Node is
	// NoNode for magic and shell lines.
	Cell     int
	Node     ps.NodeID
	Pos, End Pos
	// Value is the folded value at the sink (the whole path); Literal is the
	// folded value of the literal alone (what config would hold). Both keep
	// the original text (no normalisation); secrets inside URIs are still
	// present: print them only through RedactValue.
	Value, Literal string
	// Complete is set when Value is fully known (else it is a prefix).
	Complete bool
	Class    PathClass
	// Spreadsheet is set for spreadsheet extensions and Google Sheets URLs.
	Spreadsheet bool
	// Binding is the name the literal is bound to ("DATA_DIR"), "" when the
	// literal is written inline in the sink call.
	Binding string
	// Sink is the qualified callee ("pandas.read_csv", ".to_csv" for methods
	// on unknown receivers), or the magic ("%cd", "!wget").
	Sink      string
	SinkCell  int
	SinkPos   Pos
	Direction Direction
	Role      Role
	// Env is set when the value is the fallback of os.environ.get/getenv
	// (already parameterised: findings are capped at info).
	Env bool
	// ConfigKey is the proposed config key ("paths.data_dir"); unique per
	// notebook and shared by the uses of one literal.
	ConfigKey string
	// OutsideRoot is set for a relative path that, resolved against the
	// notebook's directory, leaves the repository root (Env.Root).
	OutsideRoot bool
	// WrittenAt is the first code cell (file order) whose write sink writes
	// the same complete value (-1 when none); set on read uses only.
	WrittenAt int
}

// Anchor identifies the literal of a use (for grouping uses per literal).
func (u *PathUse) Anchor() PathAnchor {
	return PathAnchor{Cell: u.Cell, Line: u.Pos.Line, Col: u.Pos.Col}
}

// PathAnchor is the position of a path literal.
type PathAnchor struct{ Cell, Line, Col int }

// ---------------------------------------------------------------------------
// Classifier (RULES.md §2.1.2)

var (
	reDBURI       = regexp.MustCompile(`(?i)^(?:postgres(?:ql)?|mysql|mariadb|mssql|sqlserver|oracle|sqlite|redshift|snowflake|mongodb(?:\+srv)?|rediss?|amqps?|clickhouse|db2|teradata|presto|trino|hive|impala|bigquery|databricks|cockroachdb|vertica)(?:\+[a-z0-9_]+)?://|^jdbc:[a-z0-9]+:`)
	reODBC        = regexp.MustCompile(`(?i)(?:^|;)\s*(?:driver|server|data source|dsn)\s*=`)
	reCloudURI    = regexp.MustCompile(`(?i)^(?:s3a?|s3n|gs|gcs|abfss?|wasbs?|adl|az|hdfs|webhdfs|dbfs|oss|cos|r2|minio)://[^/\s]+|^dbfs:/`)
	reCloudHTTP   = regexp.MustCompile(`(?i)^https?://[^/\s]*(?:amazonaws\.com|storage\.googleapis\.com|\.core\.windows\.net)(?::\d+)?/`)
	reLocalhost   = regexp.MustCompile(`(?i)://(?:[^@/\s]*@)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(?:[:/]|$)`)
	reGSheet      = regexp.MustCompile(`(?i)^https?://docs\.google\.com/spreadsheets/d/[A-Za-z0-9_-]+`)
	reHTTPData    = regexp.MustCompile(`(?i)^https?://[^\s?#]+\.(?:csv|tsv|json|jsonl|parquet|xlsx?|zip|gz|tgz|tar|txt|pkl|h5|npz|npy|pt|pth|onnx|bin|safetensors|arff|data)(?:[?#]\S*)?$`)
	reDataHost    = regexp.MustCompile(`(?i)^https?://(?:raw\.githubusercontent\.com|gist\.githubusercontent\.com|drive\.google\.com/uc|docs\.google\.com/uc|(?:www\.)?dropbox\.com/s|dl\.dropboxusercontent\.com)(?:[/?]|$)`)
	reHTTP        = regexp.MustCompile(`(?i)^(?:https?|ftp)://`)
	rePersonalSeg = regexp.MustCompile(`(?i)(?:^|[\\/])(?:Downloads|Desktop|Documents|My Documents|OneDrive(?: - [^\\/]+)?|Dropbox(?: \([^)\\/]*\))?|Google Drive|GoogleDrive|My ?Drive|iCloud ?Drive|Mobile Documents|CloudStorage|AppData)(?:[\\/]|$)`)
	rePersonalAbs = regexp.MustCompile(`^/content/drive(?:/|$)|^/kaggle/(?:input|working)(?:/|$)`)
	reHomeRoot    = regexp.MustCompile(`(?i)^(?:/(?:Users|home)/[^/\s]+|/root|~[A-Za-z0-9._-]*|[A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+[^\\/]+)(?:[\\/]|$)`)
	reWinDrive    = regexp.MustCompile(`^[A-Za-z]:(?:[\\/]|$)`)
	reUNC         = regexp.MustCompile(`^\\\\[^\\/\s]+[\\/][^\\/\s]+`)
	reUserHome    = regexp.MustCompile(`^/(?:Users|home)/[^/\s]+(?:/|$)|^/root(?:/|$)`)
	reTilde       = regexp.MustCompile(`^~[A-Za-z0-9._-]*(?:[\\/]|$)`)
	reSystem      = regexp.MustCompile(`^/(?:dev|proc|sys|etc|usr|bin|sbin|lib|lib64|run)(?:/|$)`)
	reTmp         = regexp.MustCompile(`^/(?:tmp|var/tmp|dev/shm)(?:/|$)`)
	rePosixAbs    = regexp.MustCompile(`^/[^/\s]`)
	reSpreadsheet = regexp.MustCompile(`(?i)\.(?:xlsx|xlsm|xlsb|xls|ods|numbers)(?:$|[?#])`)
	reRelData     = regexp.MustCompile(`(?i)^(?:\.{1,2}[\\/])?[^\s:*?"<>|]*\.(?:csv|tsv|txt|dat|json|jsonl|ndjson|xml|parquet|pq|feather|arrow|orc|avro|h5|hdf5|hdf|nc|npy|npz|mat|sav|dta|sas7bdat|xpt|pkl|pickle|joblib|db|sqlite3?|duckdb|xlsx|xlsm|xlsb|xls|ods|numbers|zip|gz|bz2|xz|7z|tar|tgz|pt|pth|ckpt|onnx|pb|keras|safetensors|bin|model|tiff?|png|jpe?g|wav|mp3|mp4)$`)
	reDataExt     = regexp.MustCompile(`(?i)\.(?:csv|tsv|txt|dat|json|jsonl|ndjson|xml|parquet|pq|feather|arrow|orc|avro|h5|hdf5|hdf|nc|npy|npz|mat|sav|dta|sas7bdat|xpt|pkl|pickle|joblib|db|sqlite3?|duckdb|xlsx|xlsm|xlsb|xls|ods|numbers|zip|gz|bz2|xz|7z|tar|tgz|pt|pth|ckpt|onnx|pb|keras|safetensors|bin|model|tiff?|png|jpe?g|wav|mp3|mp4)$`)
	reScheme      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	// rePathName is the §2.1.1 item 3 name pattern for path-named bindings.
	rePathName = regexp.MustCompile(`(?i)(?:^|_)(?:path|paths|dir|dirs|directory|folder|file|files|fname|filename|filepath|root|base|data|input|output|out|src|dst|loc|location|uri|url|bucket|prefix|db|dsn)(?:$|_|\d)`)
)

// NormalizePath applies §2.1.1's normalisation: a leading file:// is
// stripped (escapes are already decoded by folding).
func NormalizePath(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "file://") {
		v = v[7:]
	}
	return v
}

// ClassifyPath classifies a folded path value. complete says whether the
// value is whole (relative data files need the extension); sink says
// whether it reached a read/write sink or a magic line (POSIX_ABS needs
// one). It returns ClassNone for values that are no path at all.
func ClassifyPath(value string, complete, sink bool) PathClass {
	v := NormalizePath(value)
	if v == "" || strings.ContainsAny(v, "\n\r\t") {
		return ClassNone
	}
	if !complete {
		// A partly known URI counts only when its host (or bucket) is
		// known: f"s3://sagemaker-{region}/x" names no fixed bucket.
		if i := strings.Index(v, "://"); i >= 0 && !strings.ContainsAny(v[i+3:], "/?#") {
			return ClassNone
		}
	}
	switch {
	case reDBURI.MatchString(v):
		return ClassDBURI
	case reODBC.MatchString(v) && strings.Contains(v, "="):
		return ClassODBC
	case reCloudURI.MatchString(v):
		return ClassCloudURI
	case reCloudHTTP.MatchString(v):
		return ClassCloudHTTP
	case reLocalhost.MatchString(v):
		return ClassLocalhost
	case reGSheet.MatchString(v):
		return ClassGSheet
	case reHTTPData.MatchString(v) && complete, reDataHost.MatchString(v):
		return ClassHTTPData
	case reHTTP.MatchString(v):
		return ClassHTTP
	case rePersonalAbs.MatchString(v):
		return ClassPersonal
	}
	if m := reHomeRoot.FindString(v); m != "" && rePersonalSeg.MatchString(v[len(m)-1:]) {
		return ClassPersonal
	}
	switch {
	case reWinDrive.MatchString(v):
		return ClassWinDrive
	case reUNC.MatchString(v):
		return ClassUNC
	case reUserHome.MatchString(v):
		return ClassUserHome
	case reTilde.MatchString(v) || v == "~":
		return ClassTilde
	case reSystem.MatchString(v):
		return ClassSystem
	case reTmp.MatchString(v):
		return ClassTmp
	case rePosixAbs.MatchString(v):
		if !sink {
			return ClassNone
		}
		segs := 0
		for _, s := range strings.Split(v, "/") {
			if s != "" {
				segs++
			}
		}
		if segs >= 2 || (complete && reDataExt.MatchString(v)) {
			return ClassPosixAbs
		}
		return ClassNone
	case strings.HasPrefix(v, "/"):
		return ClassNone
	case reScheme.MatchString(v):
		return ClassNone // another scheme (mailto:, data:, ftp handled above)
	}
	if complete && reRelData.MatchString(v) {
		return ClassRelativeData
	}
	if pathLooksRelative(v) {
		return ClassRelative
	}
	return ClassNone
}

// pathLooksRelative accepts strings that can be relative paths: no spaces
// around words, no format directives, at most a few odd characters.
func pathLooksRelative(v string) bool {
	if v == "" || len(v) > 400 || strings.ContainsAny(v, "%{}<>|\"*?") {
		return false
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// IsSpreadsheet reports whether a path value names a spreadsheet (by
// extension or as a Google Sheets URL).
func IsSpreadsheet(value string) bool {
	v := NormalizePath(value)
	return reSpreadsheet.MatchString(v) || reGSheet.MatchString(v)
}

// IsPathName reports whether a binding name looks like it holds a path
// (§2.1.1 item 3).
func IsPathName(name string) bool { return rePathName.MatchString(name) }

// ---------------------------------------------------------------------------
// Sinks (RULES.md §2.1.1 items 1, 2, 4)

type pathSinkArg struct {
	node ps.NodeID
	dir  Direction
	role Role
}

// pathKwNames are the keyword names under which readers and writers take paths.
var pathKwNames = []string{"filepath_or_buffer", "path_or_buf", "path_or_buffer", "io", "path", "fname", "file", "filename",
	"filepath", "excel_writer", "buf", "source", "f", "fp", "uri", "file_path", "save_path", "save_directory"}

var pathDataModules = []string{"pandas", "modin.pandas", "cudf", "dask.dataframe", "polars", "geopandas", "pyspark.pandas",
	"vaex", "datatable", "databricks.koalas"}

var pathReadFuncs = setOf(`numpy.load numpy.loadtxt numpy.genfromtxt numpy.fromfile numpy.memmap
	joblib.load torch.load shelve.open glob.glob glob.iglob os.listdir os.scandir os.walk
	os.path.exists os.path.isfile os.path.isdir os.path.getsize os.stat os.path.getmtime
	tensorflow.keras.models.load_model keras.models.load_model tf.keras.models.load_model keras.saving.load_model
	datasets.load_from_disk cv2.imread PIL.Image.open h5py.File geopandas.read_file
	xarray.open_dataset xarray.open_mfdataset xarray.open_dataarray scipy.io.loadmat librosa.load
	soundfile.read imageio.imread imageio.v2.imread imageio.v3.imread skimage.io.imread
	matplotlib.pyplot.imread matplotlib.image.imread nibabel.load tensorflow.io.read_file
	tensorflow.data.TextLineDataset tensorflow.data.TFRecordDataset pyarrow.parquet.read_table
	pyarrow.parquet.ParquetFile pyarrow.dataset.dataset pyarrow.csv.read_csv pyarrow.feather.read_feather
	pandas.ExcelFile pandas.HDFStore openpyxl.load_workbook xlrd.open_workbook pyxlsb.open_workbook
	dill.load cloudpickle.load zipfile.ZipFile tarfile.open gzip.open bz2.open lzma.open
	spacy.load fasttext.load_model gensim.models.KeyedVectors.load_word2vec_format
	tensorflow.keras.utils.image_dataset_from_directory keras.utils.image_dataset_from_directory
	torchvision.datasets.ImageFolder imageio.get_reader`)

var pathWriteFuncs = setOf(`numpy.save numpy.savez numpy.savez_compressed numpy.savetxt os.makedirs os.mkdir
	cv2.imwrite imageio.imwrite imageio.v2.imwrite imageio.v3.imwrite soundfile.write scipy.io.savemat
	matplotlib.pyplot.savefig pandas.ExcelWriter skimage.io.imsave matplotlib.pyplot.imsave`)

// pathWriteSecond are functions whose path is the second argument.
var pathWriteSecond = map[string]string{"joblib.dump": "filename", "torch.save": "f", "pickle.dump": "file",
	"dill.dump": "file", "cloudpickle.dump": "file", "keras.models.save_model": "filepath",
	"tensorflow.keras.models.save_model": "filepath", "tf.keras.models.save_model": "filepath",
	"numpy.save": "", "mlflow.sklearn.save_model": "path", "mlflow.pyfunc.save_model": "path",
	"urllib.request.urlretrieve": "filename", "torch.hub.download_url_to_file": "dst"}

var pathWriteMethods = setOf(`to_csv to_excel to_parquet to_pickle to_json to_hdf to_feather to_stata to_orc to_xml
	to_netcdf to_file to_html to_latex to_markdown to_zarr savefig save_pretrained write_image write_html`)

var pathEndpointFuncs = map[string]string{"sqlalchemy.create_engine": "url", "sqlalchemy.engine.create_engine": "url",
	"sqlalchemy.ext.asyncio.create_async_engine": "url",
	"psycopg2.connect":                           "dsn", "psycopg.connect": "conninfo", "pymongo.MongoClient": "host", "motor.motor_asyncio.AsyncIOMotorClient": "host",
	"redis.from_url": "url", "redis.Redis.from_url": "url", "redis.StrictRedis.from_url": "url", "pyodbc.connect": "",
	"cx_Oracle.connect": "dsn", "oracledb.connect": "dsn", "mlflow.set_tracking_uri": "uri", "elasticsearch.Elasticsearch": "hosts",
	"pika.URLParameters": "url", "databases.Database": "url", "dataset.connect": "url", "records.Database": "db_url",
	"sqlite3.connect": "database", "duckdb.connect": "database", "clickhouse_connect.get_client": "dsn"}

var pathURLFuncs = map[string]string{"requests.get": "url", "requests.post": "url", "requests.put": "url",
	"requests.head": "url", "requests.request": "url", "requests.Session.get": "url", "httpx.get": "url", "httpx.post": "url",
	"urllib.request.urlopen": "url", "urllib.request.urlretrieve": "url", "urllib.request.Request": "url",
	"urllib2.urlopen": "url", "urllib.urlopen": "url", "urllib.urlretrieve": "url",
	"wget.download": "url", "gdown.download": "url", "gdown.download_folder": "url",
	"torch.hub.download_url_to_file": "url", "torch.hub.load_state_dict_from_url": "url",
	"tensorflow.keras.utils.get_file": "origin", "keras.utils.get_file": "origin", "tf.keras.utils.get_file": "origin",
	"opendatasets.download": "dataset_id_or_url"}

// pathSinkArgs returns the path-context arguments of a call.
func (n *Notebook) pathSinkArgs(cs *CallSite) []pathSinkArg {
	t := cs.Cell.Tree
	var out []pathSinkArg
	add := func(node ps.NodeID, dir Direction, role Role) {
		if node != ps.NoNode {
			out = append(out, pathSinkArg{node, dir, role})
		}
	}
	pathArg := func(i int, kws ...string) ps.NodeID {
		for _, k := range kws {
			if x := cs.Keyword(k); x != ps.NoNode {
				return x
			}
		}
		if i < 0 {
			return ps.NoNode
		}
		return cs.Positional(i)
	}
	q := pathQual(cs)
	mod, fn := "", q
	if i := strings.LastIndexByte(q, '.'); i >= 0 {
		mod, fn = q[:i], q[i+1:]
	}
	// Spark readers and writers: spark.read.csv(p), df.write.parquet(p),
	// spark.read.format("delta").load(p).
	if cs.ReceiverNode != ps.NoNode {
		recv := t.Text(cs.ReceiverNode)
		switch cs.Method {
		case "csv", "parquet", "json", "orc", "text", "load", "save", "avro", "delta":
			if strings.Contains(recv, ".read") || strings.HasPrefix(recv, "read") {
				if cs.Method != "save" {
					add(pathArg(0, "path", "paths"), DirRead, RoleFile)
					return out
				}
			}
			if strings.Contains(recv, ".write") || strings.HasPrefix(recv, "write") {
				if cs.Method != "load" {
					add(pathArg(0, "path"), DirWrite, RoleFile)
					return out
				}
			}
		case "jdbc":
			if strings.Contains(recv, ".read") || strings.Contains(recv, ".write") {
				add(pathArg(0, "url"), DirRead, RoleEndpoint)
				return out
			}
		case "option":
			if k, ok := StringValue(t, cs.Positional(0)); ok && strings.EqualFold(k, "url") {
				add(cs.Positional(1), DirRead, RoleEndpoint)
				return out
			}
		}
	}
	for _, dm := range pathDataModules {
		if mod == dm && (strings.HasPrefix(fn, "read_") || strings.HasPrefix(fn, "scan_")) {
			if strings.HasPrefix(fn, "read_sql") || fn == "read_database" || fn == "read_database_uri" {
				add(pathArg(1, "con", "connection", "uri"), DirRead, RoleEndpoint)
				return out
			}
			if fn == "read_clipboard" || fn == "read_gbq" {
				return out
			}
			add(pathArg(0, pathKwNames...), DirRead, RoleFile)
			return out
		}
	}
	switch {
	case q == "open" || q == "io.open" || q == "codecs.open" || q == "builtins.open":
		add(pathArg(0, "file", "filename"), pathModeDirection(t, pathArg(1, "mode")), RoleFile)
		return out
	case pathReadFuncs[q]:
		dir := DirRead
		if q == "zipfile.ZipFile" || q == "tarfile.open" || q == "h5py.File" || q == "gzip.open" || q == "shelve.open" {
			dir = pathModeDirection(t, pathArg(1, "mode"))
		}
		add(pathArg(0, pathKwNames...), dir, RoleFile)
		return out
	case q == "joblib.Memory":
		add(pathArg(0, "location", "cachedir"), DirWrite, RoleFile)
		return out
	case pathWriteFuncs[q]:
		add(pathArg(0, pathKwNames...), DirWrite, RoleFile)
		return out
	case q == "shutil.copy" || q == "shutil.copy2" || q == "shutil.copyfile" || q == "shutil.copytree" || q == "shutil.move" || q == "os.rename" || q == "os.replace":
		add(pathArg(0, "src"), DirRead, RoleFile)
		add(pathArg(1, "dst"), DirWrite, RoleFile)
		return out
	}
	if kw, ok := pathWriteSecond[q]; ok && q != "numpy.save" {
		if urlKw, isURL := pathURLFuncs[q]; isURL {
			add(pathArg(0, urlKw), DirRead, RoleURL)
		}
		add(pathArg(1, kw), DirWrite, RoleFile)
		return out
	}
	if kw, ok := pathEndpointFuncs[q]; ok {
		if q == "sqlite3.connect" || q == "duckdb.connect" {
			add(pathArg(0, kw), DirRead, RoleEndpoint)
			return out
		}
		add(pathArg(0, kw), DirRead, RoleEndpoint)
		return out
	}
	if kw, ok := pathURLFuncs[q]; ok {
		i := 0
		if kw == "origin" {
			i = 1
		}
		add(pathArg(i, kw), DirRead, RoleURL)
		return out
	}
	if pathCtors[q] {
		add(cs.Positional(0), pathCtorDirection(cs), RoleCtor)
		return out
	}
	// Methods on objects of unknown type, by name.
	if cs.ReceiverNode != ps.NoNode && cs.Qual == cs.Callee || cs.ReceiverNode != ps.NoNode && !n.pathImportRooted(cs) {
		switch {
		case pathWriteMethods[cs.Method]:
			add(pathArg(0, pathKwNames...), DirWrite, RoleFile)
		case cs.Method == "save" || cs.Method == "save_weights":
			add(pathArg(0, "filepath", "fp", "path", "fname", "filename", "save_path"), DirWrite, RoleFile)
		case cs.Method == "save_model":
			add(pathArg(0, "fname", "filepath", "path"), DirWrite, RoleFile)
		case cs.Method == "load_model" || cs.Method == "load_weights":
			add(pathArg(0, "fname", "filepath", "path", "model_file"), DirRead, RoleFile)
		case cs.Method == "from_pretrained":
			add(pathArg(0, "pretrained_model_name_or_path"), DirRead, RoleFile)
		}
		return out
	}
	// Module functions by name, for libraries not in the tables.
	switch {
	case fn == "savefig":
		add(pathArg(0, "fname"), DirWrite, RoleFile)
	case fn == "from_pretrained":
		add(pathArg(0, "pretrained_model_name_or_path"), DirRead, RoleFile)
	case fn == "save_model" && mod != "":
		add(pathArg(1, "filepath", "path", "fname"), DirWrite, RoleFile)
	case fn == "load_model" && mod != "":
		add(pathArg(0, "filepath", "path", "fname", "model_file"), DirRead, RoleFile)
	case fn == "load_dataset" && (mod == "datasets"):
		add(cs.Keyword("data_files"), DirRead, RoleFile)
		add(cs.Keyword("data_dir"), DirRead, RoleFile)
	case fn == "Booster" && (mod == "xgboost" || mod == "lightgbm"):
		add(cs.Keyword("model_file"), DirRead, RoleFile)
	}
	return out
}

// pathAliases are the conventional import aliases, used when a notebook
// calls pd.read_csv without importing pandas in any cell (imports run in a
// deleted cell, or by a startup script).
var pathAliases = map[string]string{"pd": "pandas", "np": "numpy", "pl": "polars", "dd": "dask.dataframe",
	"plt": "matplotlib.pyplot", "sns": "seaborn", "tf": "tensorflow", "gpd": "geopandas", "xr": "xarray"}

// pathQual is the call's qualified name, with conventional aliases resolved
// when the notebook has no import for them.
func pathQual(cs *CallSite) string {
	if cs.Qual != cs.Callee && cs.Callee != "" {
		return cs.Cell.pathFixQual(cs.Callee, cs.Qual)
	}
	if cs.Callee == "" {
		return cs.Qual
	}
	head, rest, ok := strings.Cut(cs.Callee, ".")
	if !ok {
		return cs.Qual
	}
	if m, found := pathAliases[head]; found {
		return m + "." + rest
	}
	return cs.Qual
}

// pathFixQual works around Qualify for unaliased dotted imports: after
// `import urllib.request`, urllib.request.urlopen is already fully
// qualified as written (Qualify would give urllib.request.request.urlopen).
func (c *Cell) pathFixQual(dotted, qual string) string {
	head, _, _ := strings.Cut(dotted, ".")
	if strings.HasPrefix(qual, head+".") {
		rest := strings.TrimPrefix(dotted, head)
		if strings.HasSuffix(qual, rest) {
			mod := strings.TrimSuffix(qual, rest)
			if strings.HasPrefix(rest, strings.TrimPrefix(mod, head)+".") && mod != head {
				return dotted
			}
		}
	}
	return qual
}

// pathQualify is Notebook.Qualify with pathFixQual applied.
func (n *Notebook) pathQualify(c *Cell, dotted string) string {
	return c.pathFixQual(dotted, n.Qualify(c.Index, dotted))
}

// pathImportRooted reports whether a call's receiver chain starts at an import
// (pd.x, np.x), i.e. it is a module function rather than a method.
func (n *Notebook) pathImportRooted(cs *CallSite) bool {
	if cs.Receiver == "" {
		return false
	}
	_, ok := n.ImportOf(cs.Cell.Index, cs.Receiver)
	return ok && cs.Callee != "" && cs.Qual != cs.Callee
}

// pathModeDirection reads an open() mode argument.
func pathModeDirection(t *ps.Tree, mode ps.NodeID) Direction {
	if mode == ps.NoNode {
		return DirRead
	}
	m, ok := StringValue(t, mode)
	if !ok {
		return DirRead
	}
	if strings.ContainsAny(m, "wax") {
		return DirWrite
	}
	return DirRead
}

// pathCtorDirection looks at what a Path(...) call is used for: Path(p).write_text
// writes, Path(p).read_text reads.
func pathCtorDirection(cs *CallSite) Direction {
	c := cs.Cell
	t := c.Tree
	par := c.Parents()
	p := par[cs.Node]
	if p == ps.NoNode || t.Kind(p) != ps.Attribute {
		return DirNone
	}
	switch t.Text(t.ChildByField(p, ps.FAttribute)) {
	case "write_text", "write_bytes", "mkdir", "touch", "unlink", "rmdir":
		return DirWrite
	case "read_text", "read_bytes", "open", "glob", "rglob", "iterdir", "exists", "is_file", "is_dir", "stat":
		return DirRead
	}
	return DirNone
}

// ---------------------------------------------------------------------------
// Anchors: where a folded value's classified prefix was written

// traceAnchor follows the leftmost part of a path expression through the
// folding constructs and name bindings. When it crosses a name bound to a
// constant (in the cell or an earlier one), it returns the innermost such
// binding's cell, value node and name; ok is false when no name was
// crossed (the value is written inline).
func (n *Notebook) traceAnchor(c *Cell, node ps.NodeID, depth int) (*Cell, ps.NodeID, string, bool) {
	if c == nil || c.Tree == nil || node == ps.NoNode || depth > 12 {
		return nil, ps.NoNode, "", false
	}
	t := c.Tree
	switch t.Kind(node) {
	case ps.ParenthesizedExpression:
		return n.traceAnchor(c, t.FirstNamed(node), depth+1)
	case ps.ConcatenatedString:
		return n.traceAnchor(c, t.FirstNamed(node), depth+1)
	case ps.String:
		for ch := t.FirstChild(node); ch != ps.NoNode; ch = t.NextSibling(node, ch) {
			switch t.Kind(ch) {
			case ps.StringStart:
				continue
			case ps.Interpolation:
				return n.traceAnchor(c, t.FirstNamed(ch), depth+1)
			}
			break
		}
		return nil, ps.NoNode, "", false
	case ps.BinaryOperator:
		return n.traceAnchor(c, t.ChildByField(node, ps.FLeft), depth+1)
	case ps.Call:
		fn := t.ChildByField(node, ps.FFunction)
		q := n.pathQualify(c, dottedName(t, fn))
		attr := ""
		if t.Kind(fn) == ps.Attribute {
			attr = t.Text(t.ChildByField(fn, ps.FAttribute))
		}
		args := callArgs(t, node)
		first := ps.NoNode
		for _, a := range args {
			if a.Name == "" && !a.Splat {
				first = a.Node
				break
			}
		}
		switch {
		case pathCtors[q] || q == "str" || q == "os.fspath" || q == "os.path.abspath" || q == "os.path.normpath" ||
			q == "os.path.join" || q == "posixpath.join" || q == "ntpath.join" || q == "os.path.expanduser":
			return n.traceAnchor(c, first, depth+1)
		case q == "os.environ.get" || q == "os.getenv":
			return nil, ps.NoNode, "", false
		case attr == "format" || attr == "joinpath" || attr == "with_suffix" || attr == "resolve" || attr == "expanduser" ||
			attr == "absolute":
			return n.traceAnchor(c, t.ChildByField(fn, ps.FObject), depth+1)
		}
	case ps.Identifier:
		name := pyName(t.Text(node))
		if v, ok := c.constBefore(name, node); ok {
			if ac, an, nm, ok := n.traceAnchor(c, v, depth+1); ok {
				return ac, an, nm, true
			}
			return c, v, name, true
		}
		if d := n.Definer(c.Index, name); d >= 0 {
			dc := n.Cell(d)
			if v, ok := dc.constBefore(name, ps.NoNode); ok {
				if ac, an, nm, ok := n.traceAnchor(dc, v, depth+1); ok {
					return ac, an, nm, true
				}
				return dc, v, name, true
			}
		}
	case ps.Subscript:
		if dc, v, key, ok := n.pathDictEntry(c, node); ok {
			if ac, an, nm, ok := n.traceAnchor(dc, v, depth+1); ok {
				return ac, an, nm, true
			}
			return dc, v, key, true
		}
	}
	return nil, ps.NoNode, "", false
}

// pathDictEntry resolves CONFIG["key"] where CONFIG is bound to a dict display
// with a constant key: it returns the value node and the key.
func (n *Notebook) pathDictEntry(c *Cell, sub ps.NodeID) (*Cell, ps.NodeID, string, bool) {
	t := c.Tree
	obj := t.ChildByField(sub, ps.FValue)
	idx := t.ChildByField(sub, ps.FSubscript)
	if obj == ps.NoNode || idx == ps.NoNode || t.Kind(obj) != ps.Identifier {
		return nil, ps.NoNode, "", false
	}
	key, ok := StringValue(t, idx)
	if !ok {
		return nil, ps.NoNode, "", false
	}
	name := pyName(t.Text(obj))
	dc := c
	v, found := c.constBefore(name, sub)
	if !found {
		if d := n.Definer(c.Index, name); d >= 0 {
			dc = n.Cell(d)
			v, found = dc.constBefore(name, ps.NoNode)
		}
	}
	if !found || dc == nil || dc.Tree.Kind(v) != ps.Dictionary {
		return nil, ps.NoNode, "", false
	}
	dt := dc.Tree
	for _, p := range dt.NamedChildren(v, nil) {
		if dt.Kind(p) != ps.Pair {
			continue
		}
		if k, ok := StringValue(dt, dt.ChildByField(p, ps.FKey)); ok && k == key {
			return dc, dt.ChildByField(p, ps.FValue), key, true
		}
	}
	return nil, ps.NoNode, "", false
}

// foldPath folds a sink argument, with CONFIG["key"] lookups on top of Fold
// (CONFIG bound to a dict display with constant keys), also as the first
// part of a + or / expression or of os.path.join.
func (n *Notebook) foldPath(c *Cell, node ps.NodeID) Folded {
	f := n.Fold(c, node)
	if f.Value != "" || f.Complete || node == ps.NoNode {
		return f
	}
	t := c.Tree
	switch t.Kind(node) {
	case ps.Subscript:
		if dc, v, _, ok := n.pathDictEntry(c, node); ok {
			return n.Fold(dc, v)
		}
	case ps.ParenthesizedExpression:
		return n.foldPath(c, t.FirstNamed(node))
	case ps.BinaryOperator:
		op := t.Text(t.ChildByField(node, ps.FOperator))
		l := t.ChildByField(node, ps.FLeft)
		if (op == "+" || op == "/") && l != ps.NoNode && t.Kind(l) != ps.BinaryOperator {
			a := n.foldPath(c, l)
			if !a.Complete {
				return a
			}
			b := n.Fold(c, t.ChildByField(node, ps.FRight))
			v := a.Value + b.Value
			if op == "/" {
				v = joinPath(a.Value, b.Value)
			}
			return Folded{Value: v, Complete: b.Complete, Env: a.Env || b.Env}
		}
		if l != ps.NoNode && t.Kind(l) == ps.BinaryOperator {
			a := n.foldPath(c, l)
			if !a.Complete {
				return a
			}
			b := n.Fold(c, t.ChildByField(node, ps.FRight))
			v := a.Value + b.Value
			if op == "/" {
				v = joinPath(a.Value, b.Value)
			}
			return Folded{Value: v, Complete: b.Complete, Env: a.Env || b.Env}
		}
	case ps.Call:
		fn := t.ChildByField(node, ps.FFunction)
		if q := n.pathQualify(c, dottedName(t, fn)); q == "os.path.join" || pathCtors[q] {
			var out Folded
			for i, a := range callArgs(t, node) {
				if a.Name != "" || a.Splat {
					break
				}
				var r Folded
				if i == 0 {
					r = n.foldPath(c, a.Node)
					out = r
				} else {
					r = n.Fold(c, a.Node)
					out.Value = joinPath(out.Value, r.Value)
					out.Complete = out.Complete && r.Complete
					out.Env = out.Env || r.Env
				}
				if !r.Complete {
					out.Complete = false
					break
				}
			}
			return out
		}
	}
	return f
}

// ---------------------------------------------------------------------------
// Collecting the uses

var pathsKey = lazyKey{"paths"}

// Paths returns every classified path use of the notebook, in the order of
// their literals (cell, line, column), then of their sinks. Values that are
// not paths, and system paths, are left out.
func (n *Notebook) Paths() []PathUse {
	return lazy(n, &pathsKey, n.collectPaths)
}

func (n *Notebook) collectPaths() []PathUse {
	var uses []PathUse
	for _, cs := range n.Calls() {
		cs := cs
		if cs.Cell.Tree == nil {
			continue
		}
		for _, sa := range n.pathSinkArgs(&cs) {
			if u, ok := n.useFromArg(&cs, sa); ok {
				uses = append(uses, u)
			}
		}
	}
	uses = pathDropCoveredCtors(n, uses)
	for _, c := range n.Code() {
		uses = append(uses, n.magicPaths(c)...)
	}
	uses = append(uses, n.unreachedBindings(uses)...)

	// Writes before reads (file order).
	written := map[string]int{}
	for _, u := range uses {
		if u.Direction == DirWrite && u.Complete {
			k := pathCleanRel(u.Value)
			if at, ok := written[k]; !ok || u.SinkCell < at {
				written[k] = u.SinkCell
			}
		}
	}
	for _, c := range n.Code() {
		for _, f := range pathShellDownloads(c) {
			k := pathCleanRel(f)
			if at, ok := written[k]; !ok || c.Index < at {
				written[k] = c.Index
			}
		}
	}
	for i := range uses {
		u := &uses[i]
		u.WrittenAt = -1
		if u.Direction == DirRead && u.Complete {
			if at, ok := written[pathCleanRel(u.Value)]; ok {
				u.WrittenAt = at
			}
		}
		if u.Class == ClassRelative || u.Class == ClassRelativeData {
			u.OutsideRoot = pathOutsideRoot(n.Env, NormalizePath(u.Value))
		}
	}
	sort.SliceStable(uses, func(i, j int) bool {
		a, b := &uses[i], &uses[j]
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if a.Pos != b.Pos {
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line < b.Pos.Line
			}
			return a.Pos.Col < b.Pos.Col
		}
		if a.SinkCell != b.SinkCell {
			return a.SinkCell < b.SinkCell
		}
		if a.SinkPos.Line != b.SinkPos.Line {
			return a.SinkPos.Line < b.SinkPos.Line
		}
		return a.SinkPos.Col < b.SinkPos.Col
	})
	pathAssignConfigKeys(uses)
	return uses
}

func pathCleanRel(v string) string {
	v = strings.ReplaceAll(NormalizePath(v), `\`, "/")
	return path.Clean(v)
}

// pathOutsideRoot resolves a relative path against the notebook's directory and
// reports whether it leaves the repository root. It is decided on paths
// alone, never on whether the file exists (CONTRACT.md §6).
func pathOutsideRoot(env Env, rel string) bool {
	if env.Root == "" || env.Dir == "" || rel == "" {
		return false
	}
	rel = strings.ReplaceAll(rel, `\`, "/")
	if strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, "~") {
		return false
	}
	abs := filepath.Join(env.Dir, filepath.FromSlash(rel))
	r, err := filepath.Rel(env.Root, abs)
	if err != nil {
		return true
	}
	r = filepath.ToSlash(r)
	return r == ".." || strings.HasPrefix(r, "../")
}

// useFromArg folds and classifies one sink argument.
func (n *Notebook) useFromArg(cs *CallSite, sa pathSinkArg) (PathUse, bool) {
	c := cs.Cell
	t := c.Tree
	switch t.Kind(sa.node) {
	case ps.Integer, ps.Float, ps.True, ps.False, ps.None, ps.List, ps.Tuple, ps.Dictionary, ps.Lambda:
		return PathUse{}, false
	}
	if id := pathLeftmostIdent(t, sa.node); id != ps.NoNode && c.Shadowed(id, pyName(t.Text(id))) {
		return PathUse{}, false // a parameter or local of the enclosing function
	}
	f := n.foldPath(c, sa.node)
	if f.Value == "" {
		return PathUse{}, false
	}
	class := ClassifyPath(f.Value, f.Complete, sa.role != RoleCtor || sa.dir != DirNone)
	if class == ClassNone || class == ClassSystem {
		return PathUse{}, false
	}
	switch sa.role {
	case RoleEndpoint:
		// Connections: endpoints, and database files for sqlite/duckdb.
		if !class.Endpoint() && !(cs.Is("sqlite3.connect", "duckdb.connect") && class != ClassHTTP) {
			return PathUse{}, false
		}
		if v := strings.TrimSpace(f.Value); v == ":memory:" || v == "" {
			return PathUse{}, false
		}
	case RoleURL:
		if !reHTTP.MatchString(NormalizePath(f.Value)) && !class.Endpoint() {
			return PathUse{}, false
		}
	case RoleFile:
		if sa.dir == DirRead && class == ClassRelative && !strings.Contains(f.Value, "/") && !strings.Contains(f.Value, `\`) {
			// A bare word ("csv", "bert-base-uncased") in a reader that also
			// takes names: not a path unless it has a data extension.
			if !strings.HasPrefix(f.Value, ".") {
				return PathUse{}, false
			}
		}
	}
	u := PathUse{Value: f.Value, Complete: f.Complete, Class: class, Env: f.Env,
		Spreadsheet: IsSpreadsheet(f.Value), Sink: pathSinkName(cs), SinkCell: c.Index, SinkPos: cs.Pos,
		Direction: sa.dir, Role: sa.role}
	ac, an, name, ok := n.traceAnchor(c, sa.node, 0)
	if !ok {
		ac, an = c, sa.node
	}
	u.Cell, u.Node, u.Binding = ac.Index, an, name
	u.Pos, u.End = ac.NodePos(an), ac.NodeEnd(an)
	if lit := n.foldPath(ac, an); lit.Value != "" {
		u.Literal = lit.Value
		if lit.Env {
			u.Env = true
		}
	} else {
		u.Literal = f.Value
	}
	return u, true
}

// pathLeftmostIdent follows the leftmost part of a path expression to a
// name (NoNode when it starts with a literal or anything else).
func pathLeftmostIdent(t *ps.Tree, node ps.NodeID) ps.NodeID {
	for depth := 0; depth < 12 && node != ps.NoNode; depth++ {
		switch t.Kind(node) {
		case ps.Identifier:
			return node
		case ps.ParenthesizedExpression, ps.ConcatenatedString:
			node = t.FirstNamed(node)
		case ps.BinaryOperator:
			node = t.ChildByField(node, ps.FLeft)
		case ps.Subscript:
			node = t.ChildByField(node, ps.FValue)
		case ps.String:
			next := ps.NoNode
			for ch := t.FirstChild(node); ch != ps.NoNode; ch = t.NextSibling(node, ch) {
				if t.Kind(ch) == ps.StringStart {
					continue
				}
				if t.Kind(ch) == ps.Interpolation {
					next = t.FirstNamed(ch)
				}
				break
			}
			node = next
		case ps.Call:
			fn := t.ChildByField(node, ps.FFunction)
			if t.Kind(fn) == ps.Attribute {
				switch t.Text(t.ChildByField(fn, ps.FAttribute)) {
				case "format", "joinpath", "with_suffix", "resolve", "expanduser", "absolute":
					node = t.ChildByField(fn, ps.FObject)
					continue
				}
			}
			next := ps.NoNode
			for _, a := range callArgs(t, node) {
				if a.Name == "" && !a.Splat {
					next = a.Node
					break
				}
			}
			node = next
		default:
			return ps.NoNode
		}
	}
	return ps.NoNode
}

// Shadowed reports whether name, read at node, is bound by the enclosing
// function or comprehension (a parameter, a local assignment, a loop or
// with target) rather than at module level. Folding resolves names to
// module-level constants; a shadowed name is not one of them.
func (c *Cell) Shadowed(node ps.NodeID, name string) bool {
	if c.Tree == nil || node == ps.NoNode {
		return false
	}
	t := c.Tree
	par := c.Parents()
	binds := func(target ps.NodeID) bool {
		found := false
		if target == ps.NoNode {
			return false
		}
		t.Descendants(target, func(x ps.NodeID) bool {
			if t.Kind(x) == ps.Identifier && pyName(t.Text(x)) == name {
				found = true
			}
			return !found && t.Kind(x) != ps.Subscript && t.Kind(x) != ps.Attribute
		})
		return found
	}
	for p := par[node]; p != ps.NoNode; p = par[p] {
		switch t.Kind(p) {
		case ps.ListComprehension, ps.SetComprehension, ps.DictionaryComprehension, ps.GeneratorExpression:
			for ch := t.FirstChild(p); ch != ps.NoNode; ch = t.NextSibling(p, ch) {
				if t.Kind(ch) == ps.ForInClause && binds(t.ChildByField(ch, ps.FLeft)) {
					return true
				}
			}
		case ps.FunctionDefinition, ps.Lambda:
			for _, pn := range paramNames(t, p) {
				if pn == name {
					return true
				}
			}
			if t.Kind(p) == ps.Lambda {
				return false
			}
			body := t.ChildByField(p, ps.FBody)
			found := false
			if body != ps.NoNode {
				t.Descendants(body, func(x ps.NodeID) bool {
					if found {
						return false
					}
					switch t.Kind(x) {
					case ps.FunctionDefinition, ps.ClassDefinition, ps.Lambda:
						return false
					case ps.Assignment, ps.AugmentedAssignment, ps.ForStatement:
						if binds(t.ChildByField(x, ps.FLeft)) {
							found = true
						}
					case ps.AsPatternTarget:
						if binds(x) {
							found = true
						}
					}
					return true
				})
			}
			return found
		case ps.ClassDefinition:
			return false
		}
	}
	return false
}

// pathSinkName renders a call for messages: the qualified name, or ".method"
// for methods on objects of unknown type.
func pathSinkName(cs *CallSite) string {
	if q := pathQual(cs); q != "" && q != cs.Callee {
		return q
	}
	if cs.ReceiverNode != ps.NoNode {
		if cs.Callee != "" && !strings.Contains(cs.Callee[:strings.LastIndexByte(cs.Callee, '.')+1], "(") {
			return cs.Callee
		}
		return "." + cs.Method
	}
	if cs.Callee != "" {
		return cs.Callee
	}
	return cs.Method
}

// pathDropCoveredCtors removes Path(...) constructor uses whose call is part of
// another use's literal (the read or write sink is the better context), and
// duplicate uses of the same literal by the same sink call.
func pathDropCoveredCtors(n *Notebook, uses []PathUse) []PathUse {
	type span struct {
		cell int
		node ps.NodeID
	}
	var outer []span
	for _, u := range uses {
		if u.Role != RoleCtor && u.Node != ps.NoNode {
			outer = append(outer, span{u.Cell, u.Node})
		}
	}
	out := uses[:0]
	seen := map[[4]int]bool{}
	for _, u := range uses {
		if u.Role == RoleCtor && u.Node != ps.NoNode {
			covered := false
			for _, s := range outer {
				if s.cell == u.Cell && n.Cell(s.cell).Tree.Contains(s.node, u.Node) {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
		}
		k := [4]int{u.Cell, int(u.Node), u.SinkCell, u.SinkPos.Line*100000 + u.SinkPos.Col}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, u)
	}
	// A ctor use whose literal also carries a real use is redundant too.
	real := map[[2]int]bool{}
	for _, u := range out {
		if u.Role != RoleCtor {
			real[[2]int{u.Cell, int(u.Node)}] = true
		}
	}
	final := out[:0]
	for _, u := range out {
		if u.Role == RoleCtor && real[[2]int{u.Cell, int(u.Node)}] {
			continue
		}
		final = append(final, u)
	}
	return final
}

// unreachedBindings are path-named bindings to strong path classes whose
// literal reaches no sink (§2.1.1 item 3: info level only).
func (n *Notebook) unreachedBindings(uses []PathUse) []PathUse {
	reached := map[[2]int]bool{}
	for _, u := range uses {
		reached[[2]int{u.Cell, int(u.Node)}] = true
	}
	var out []PathUse
	consider := func(c *Cell, name string, value ps.NodeID) {
		if value == ps.NoNode || !IsPathName(name) {
			return
		}
		t := c.Tree
		switch t.Kind(value) {
		case ps.String, ps.ConcatenatedString, ps.BinaryOperator, ps.Call:
		default:
			return
		}
		ac, an, nm, ok := n.traceAnchor(c, value, 0)
		if !ok {
			ac, an, nm = c, value, name
		}
		if reached[[2]int{ac.Index, int(an)}] {
			return
		}
		f := n.Fold(c, value)
		if f.Value == "" {
			return
		}
		class := ClassifyPath(f.Value, f.Complete, false)
		switch class {
		case ClassPersonal, ClassWinDrive, ClassUNC, ClassUserHome, ClassTilde, ClassDBURI, ClassCloudURI, ClassLocalhost:
		default:
			return
		}
		reached[[2]int{ac.Index, int(an)}] = true
		lit := n.Fold(ac, an)
		out = append(out, PathUse{Cell: ac.Index, Node: an, Pos: ac.NodePos(an), End: ac.NodeEnd(an),
			Value: f.Value, Literal: lit.Value, Complete: f.Complete, Class: class, Spreadsheet: IsSpreadsheet(f.Value),
			Binding: nm, SinkCell: c.Index, SinkPos: c.NodePos(value), Role: RoleBinding, Env: f.Env || lit.Env})
	}
	for _, c := range n.Code() {
		if c.Tree == nil {
			continue
		}
		t := c.Tree
		for _, a := range c.Assigns() {
			if a.Function != "" || a.InClass {
				continue
			}
			switch {
			case a.Name != "":
				consider(c, a.Name, a.Value)
			case t.Kind(a.Target) == ps.Subscript:
				if k, ok := StringValue(t, t.ChildByField(a.Target, ps.FSubscript)); ok {
					consider(c, k, a.Value)
				}
			}
			if a.Value != ps.NoNode && t.Kind(a.Value) == ps.Dictionary {
				for _, p := range t.NamedChildren(a.Value, nil) {
					if t.Kind(p) != ps.Pair {
						continue
					}
					if k, ok := StringValue(t, t.ChildByField(p, ps.FKey)); ok {
						consider(c, k, t.ChildByField(p, ps.FValue))
					}
				}
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Magic and shell lines (§2.1.1 item 4)

// pathShellCmds are shell commands whose non-flag arguments are paths.
var pathShellCmds = setOf(`cp mv ls cat unzip tar head tail rm mkdir wc du gunzip zcat 7z unrar rsync scp ln touch less more file stat`)

// ArgToken is one argument token of a magic or shell line, with its
// position in the cell.
type ArgToken struct {
	Text     string
	Pos, End Pos
	Flag     string // the option it follows ("-P", "-O"), "" for operands
}

// pathMagicTokens splits a magic's argument text (shell-style quotes) and
// locates each token on the magic's line.
func pathMagicTokens(c *Cell, m ps.Magic, args string) []ArgToken {
	line := ""
	if ls := c.lines(); m.Line >= 1 && m.Line <= len(ls) {
		line = ls[m.Line-1]
	}
	first, _, _ := strings.Cut(args, "\n")
	var out []ArgToken
	searchFrom := m.Col - 1
	if searchFrom < 0 || searchFrom > len(line) {
		searchFrom = 0
	}
	for _, tok := range pathShellSplit(first) {
		if strings.HasPrefix(tok.raw, "#") {
			break // a trailing comment
		}
		i := strings.Index(line[searchFrom:], tok.raw)
		a := ArgToken{Text: tok.text}
		if i >= 0 {
			start := searchFrom + i
			if tok.raw != tok.text && (strings.HasPrefix(tok.raw, `"`) || strings.HasPrefix(tok.raw, `'`)) {
				start++
			}
			a.Pos = Pos{m.Line, utf8.RuneCountInString(line[:start]) + 1}
			a.End = Pos{m.Line, a.Pos.Col + utf8.RuneCountInString(tok.text)}
			searchFrom += i + len(tok.raw)
		} else {
			a.Pos = Pos{m.Line, m.Col}
			a.End = a.Pos
		}
		out = append(out, a)
	}
	for i := 1; i < len(out); i++ {
		if strings.HasPrefix(out[i-1].Text, "-") && !strings.HasPrefix(out[i].Text, "-") {
			out[i].Flag = out[i-1].Text
		}
	}
	return out
}

type pathShellTok struct{ raw, text string }

// pathShellSplit splits a command line on blanks, honouring quotes.
func pathShellSplit(s string) []pathShellTok {
	var out []pathShellTok
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		start := i
		var b strings.Builder
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			switch s[i] {
			case '"', '\'':
				q := s[i]
				j := strings.IndexByte(s[i+1:], q)
				if j < 0 {
					b.WriteString(s[i+1:])
					i = len(s)
					continue
				}
				b.WriteString(s[i+1 : i+1+j])
				i += j + 2
			case '\\':
				if i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
				} else {
					i++
				}
			default:
				b.WriteByte(s[i])
				i++
			}
		}
		out = append(out, pathShellTok{raw: s[start:i], text: b.String()})
	}
	return out
}

// MagicArgTokens returns the argument tokens of a magic or shell line (after the
// command name), with positions: for rules that look at flags (curl -k,
// pip --trusted-host).
func MagicArgTokens(c *Cell, m ps.Magic) []ArgToken {
	args := m.Args
	switch m.Kind {
	case ps.ShellEscape, ps.ShellAssign:
		// Args holds the whole command; drop the command name.
		toks := pathMagicTokens(c, m, args)
		if len(toks) > 0 {
			return toks[1:]
		}
		return nil
	}
	return pathMagicTokens(c, m, args)
}

func (n *Notebook) magicPaths(c *Cell) []PathUse {
	var out []PathUse
	add := func(m ps.Magic, a ArgToken, dir Direction, sink string) {
		v := a.Text
		if v == "" || strings.ContainsAny(v, "${") || strings.HasPrefix(v, "-") {
			return
		}
		class := ClassifyPath(v, true, true)
		if class == ClassNone || class == ClassSystem {
			return
		}
		out = append(out, PathUse{Cell: c.Index, Node: ps.NoNode, Pos: a.Pos, End: a.End, Value: v, Literal: v,
			Complete: true, Class: class, Spreadsheet: IsSpreadsheet(v), Sink: sink, SinkCell: c.Index,
			SinkPos: Pos{m.Line, m.Col}, Direction: dir, Role: RoleMagic})
	}
	for _, m := range c.Masked.Magics {
		switch m.Kind {
		case ps.LineMagic, ps.Automagic, ps.MagicAssign:
			toks := pathMagicTokens(c, m, m.Args)
			switch m.Name {
			case "cd", "pushd":
				for _, a := range toks {
					if a.Flag == "" && a.Text != "-" {
						add(m, a, DirNone, "%"+m.Name)
					}
				}
			case "bookmark":
				if len(toks) >= 2 {
					add(m, toks[len(toks)-1], DirNone, "%bookmark")
				}
			case "run", "load", "loadpy":
				for _, a := range toks {
					if a.Flag == "" {
						add(m, a, DirRead, "%"+m.Name)
						break
					}
				}
			}
		case ps.CellMagic:
			if m.Name == "writefile" {
				for _, a := range pathMagicTokens(c, m, m.Args) {
					if a.Flag == "" && a.Text != "-a" {
						add(m, a, DirWrite, "%%writefile")
						break
					}
				}
			}
		case ps.ShellEscape, ps.ShellAssign:
			toks := MagicArgTokens(c, m)
			name := strings.TrimPrefix(m.Name, "!")
			sink := "!" + name
			switch {
			case name == "wget":
				for _, a := range toks {
					switch a.Flag {
					case "-P", "--directory-prefix", "-O", "--output-document":
						add(m, a, DirWrite, sink)
					}
				}
			case name == "curl":
				for _, a := range toks {
					if a.Flag == "-o" || a.Flag == "--output" {
						add(m, a, DirWrite, sink)
					}
				}
			case name == "kaggle":
				for _, a := range toks {
					if a.Flag == "-p" || a.Flag == "--path" {
						add(m, a, DirWrite, sink)
					}
				}
			case name == "unzip":
				for _, a := range toks {
					switch a.Flag {
					case "-d":
						add(m, a, DirWrite, sink)
					case "":
						add(m, a, DirRead, sink)
					}
				}
			case name == "tar":
				for _, a := range toks {
					switch {
					case a.Flag == "-C" || a.Flag == "--directory":
						add(m, a, DirWrite, sink)
					case a.Flag == "" || strings.HasPrefix(a.Flag, "-") && strings.HasSuffix(a.Flag, "f"):
						add(m, a, DirRead, sink)
					}
				}
			case name == "cp" || name == "mv" || name == "rsync" || name == "scp":
				var ops []ArgToken
				for _, a := range toks {
					if a.Flag == "" && !strings.HasPrefix(a.Text, "-") {
						ops = append(ops, a)
					}
				}
				for i, a := range ops {
					dir := DirRead
					if i == len(ops)-1 && len(ops) > 1 {
						dir = DirWrite
					}
					add(m, a, dir, sink)
				}
			case name == "aws" || name == "gsutil" || name == "azcopy" || name == "hdfs" || name == "hadoop":
				// aws s3 cp SRC DST, gsutil cp SRC DST: cloud operands.
				var ops []ArgToken
				for _, a := range toks {
					if !strings.HasPrefix(a.Text, "-") && (a.Flag == "" || !pathFlagTakesValue(name, a.Flag)) {
						ops = append(ops, a)
					}
				}
				verb := -1
				for i, o := range ops {
					switch o.Text {
					case "cp", "sync", "mv", "ls", "rm", "copy":
						if verb < 0 {
							verb = i
						}
					}
				}
				if verb < 0 {
					break
				}
				rest := ops[verb+1:]
				for i, a := range rest {
					if !strings.Contains(a.Text, "://") {
						continue
					}
					dir := DirRead
					if i == len(rest)-1 && len(rest) > 1 {
						dir = DirWrite
					}
					add(m, a, dir, sink)
				}
			case pathShellCmds[name]:
				dir := DirRead
				if name == "mkdir" || name == "rm" || name == "touch" {
					dir = DirWrite
				}
				for _, a := range toks {
					if a.Flag == "" || name == "ls" {
						if strings.HasPrefix(a.Text, "-") {
							continue
						}
						add(m, a, dir, sink)
					}
				}
			}
		}
	}
	return out
}

// pathShellDownloads returns the local files shell downloads create:
// `!wget URL` (-P dir, -O file), `!curl -O URL` / `-o file`,
// `!aws s3 cp SRC DST`, `!gsutil cp SRC DST`.
func pathShellDownloads(c *Cell) []string {
	var out []string
	base := func(u string) string {
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		return path.Base(strings.TrimRight(u, "/"))
	}
	for _, m := range c.Masked.Magics {
		if m.Kind != ps.ShellEscape && m.Kind != ps.ShellAssign {
			continue
		}
		name := strings.TrimPrefix(m.Name, "!")
		toks := MagicArgTokens(c, m)
		var ops []string
		dir, file := "", ""
		remoteName := false
		for _, a := range toks {
			switch {
			case a.Flag == "-P" || a.Flag == "--directory-prefix":
				dir = a.Text
			case a.Flag == "-O" && name == "wget", a.Flag == "--output-document", a.Flag == "-o" && name == "curl", a.Flag == "--output":
				file = a.Text
			case a.Text == "-O" && name == "curl", a.Text == "--remote-name":
				remoteName = true
			case !strings.HasPrefix(a.Text, "-") && (a.Flag == "" || !pathFlagTakesValue(name, a.Flag)):
				ops = append(ops, a.Text)
			}
		}
		switch name {
		case "wget", "curl":
			if file != "" {
				out = append(out, file)
				continue
			}
			if name == "curl" && !remoteName {
				continue
			}
			for _, o := range ops {
				if strings.Contains(o, "://") {
					out = append(out, joinPath(dir, base(o)))
				}
			}
		case "aws", "gsutil":
			for i, o := range ops {
				if (o == "cp" || o == "mv") && i+2 < len(ops) && strings.Contains(ops[i+1], "://") {
					dst := ops[i+2]
					if dst == "." || strings.HasSuffix(dst, "/") {
						dst = joinPath(strings.TrimSuffix(dst, "."), base(ops[i+1]))
					}
					out = append(out, dst)
				}
			}
		}
	}
	return out
}

// pathFlagTakesValue reports whether a command's option consumes the next
// word (so that word is no operand).
func pathFlagTakesValue(cmd, flag string) bool {
	switch cmd {
	case "wget":
		return flag == "-P" || flag == "-O" || flag == "-o" || flag == "-a" || flag == "-e" || flag == "-U" || flag == "--header"
	case "curl":
		return flag == "-o" || flag == "-H" || flag == "-d" || flag == "-X" || flag == "-u" || flag == "-A" || flag == "-e" || flag == "--header" || flag == "--data"
	case "aws", "gsutil":
		return flag == "--region" || flag == "--profile" || flag == "--exclude" || flag == "--include" || flag == "--acl" || flag == "--sse"
	}
	return false
}

// ---------------------------------------------------------------------------
// Config keys

var rePathKeyChars = regexp.MustCompile(`[^a-z0-9]+`)

// pathConfigName turns a binding or file name into a config key part.
func pathConfigName(s string) string {
	s = strings.ToLower(s)
	s = rePathKeyChars.ReplaceAllString(s, "_")
	s = strings.Trim(s, "_")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "_")
	}
	if s == "" {
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "p_" + s
	}
	return s
}

// pathStem is the last path segment of a value without its extensions (the
// bucket or host for URIs with no path).
func pathStem(v string) string {
	v = NormalizePath(v)
	if i := strings.IndexAny(v, "?#"); i >= 0 && reScheme.MatchString(v) {
		v = v[:i]
	}
	if i := strings.Index(v, "://"); i >= 0 {
		rest := v[i+3:]
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			rest = rest[at+1:] // never derive a key from credentials
		}
		v = rest
	}
	v = strings.TrimRight(strings.ReplaceAll(v, `\`, "/"), "/")
	base := v
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		base = v[i+1:]
	}
	for {
		ext := path.Ext(base)
		if ext == "" || ext == base || len(ext) > 9 {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// pathAssignConfigKeys gives every literal a unique config key, in the order of
// the uses (deterministic): paths.<binding>, else paths.<file stem>;
// outputs get an _out suffix.
func pathAssignConfigKeys(uses []PathUse) {
	byAnchor := map[[3]int]string{}
	taken := map[string]bool{}
	for i := range uses {
		u := &uses[i]
		k := [3]int{u.Cell, u.Pos.Line, u.Pos.Col}
		if key, ok := byAnchor[k]; ok {
			u.ConfigKey = key
			continue
		}
		name := pathConfigName(u.Binding)
		if name == "" {
			name = pathConfigName(pathStem(u.Literal))
		}
		if name == "" {
			name = pathConfigName(pathStem(u.Value))
		}
		if name == "" {
			name = "path"
		}
		if u.Direction == DirWrite && u.Binding == "" && !strings.HasSuffix(name, "_out") {
			name += "_out"
		}
		key := "paths." + name
		for i := 2; taken[key]; i++ {
			key = "paths." + name + "_" + strconv.Itoa(i)
		}
		taken[key] = true
		byAnchor[k] = key
		u.ConfigKey = key
	}
}

// ---------------------------------------------------------------------------
// Downloads (NB305)

// Download is a network fetch while the notebook runs: a download call or
// shell command, or a reader on an http(s) URL.
type Download struct {
	Cell     int
	Pos, End Pos
	// Via is the call ("requests.get", "pandas.read_csv") or command
	// ("!wget", "!kaggle datasets download").
	Via string
	// URL is the folded URL ("" when not known); print it only through
	// RedactValue.
	URL   string
	Class PathClass
	// Data is set for data-file fetches (data URLs, download helpers,
	// dataset fetchers); API calls are not.
	Data bool
	// NoTimeout is set for requests/httpx calls without timeout=.
	NoTimeout bool
	// Shell is set for shell lines.
	Shell bool
}

var pathDownloadFuncs = setOf(`urllib.request.urlretrieve urllib.urlretrieve wget.download gdown.download gdown.download_folder
	gdown.cached_download torch.hub.download_url_to_file tensorflow.keras.utils.get_file keras.utils.get_file
	tf.keras.utils.get_file opendatasets.download seaborn.load_dataset kaggle.api.dataset_download_files
	kaggle.api.competition_download_files kaggle.api.dataset_download_file kaggle.api.competition_download_file
	kagglehub.dataset_download kagglehub.competition_download huggingface_hub.hf_hub_download
	huggingface_hub.snapshot_download`)

var pathAPIFuncs = setOf(`requests.get requests.post requests.put requests.head requests.request requests.patch requests.delete
	httpx.get httpx.post httpx.request urllib.request.urlopen urllib2.urlopen urllib.urlopen`)

var downloadsKey = lazyKey{"downloads"}

// Downloads returns the runtime downloads of the notebook in source order.
func (n *Notebook) Downloads() []Download {
	return lazy(n, &downloadsKey, n.collectDownloads)
}

func (n *Notebook) collectDownloads() []Download {
	var out []Download
	for _, cs := range n.Calls() {
		cs := cs
		c := cs.Cell
		if c.Tree == nil {
			continue
		}
		q := pathQual(&cs)
		d := Download{Cell: c.Index, Pos: cs.Pos, End: cs.End, Via: pathSinkName(&cs)}
		urlNode := ps.NoNode
		switch {
		case pathDownloadFuncs[q] || strings.HasPrefix(q, "sklearn.datasets.fetch_") ||
			(cs.Receiver != "" && strings.HasPrefix(cs.Callee, "kaggle.api.") && strings.Contains(cs.Method, "download")) ||
			(strings.HasPrefix(q, "torchvision.datasets.") && pathIsTrue(c.Tree, cs.Keyword("download"))) ||
			(strings.HasPrefix(q, "tensorflow_datasets.load")):
			d.Data = true
			if kw, ok := pathURLFuncs[q]; ok {
				i := 0
				if kw == "origin" {
					i = 1
				}
				urlNode = cs.Arg(i, kw)
			}
		case pathAPIFuncs[q]:
			urlNode = cs.Arg(0, "url")
			d.NoTimeout = strings.HasPrefix(q, "requests.") || strings.HasPrefix(q, "httpx.")
			if cs.Keyword("timeout") != ps.NoNode {
				d.NoTimeout = false
			}
		default:
			// Readers on http(s) URLs: pd.read_csv("https://…").
			for _, sa := range n.pathSinkArgs(&cs) {
				if sa.role != RoleFile || sa.dir != DirRead {
					continue
				}
				f := n.foldPath(c, sa.node)
				v := NormalizePath(f.Value)
				if reHTTP.MatchString(v) || reCloudHTTP.MatchString(v) {
					d.URL, d.Data = f.Value, true
					d.Class = ClassifyPath(f.Value, f.Complete, true)
					out = append(out, d)
				}
			}
			continue
		}
		if urlNode != ps.NoNode {
			f := n.foldPath(c, urlNode)
			d.URL = f.Value
			if f.Value != "" {
				d.Class = ClassifyPath(f.Value, f.Complete, true)
				if d.Class == ClassHTTPData || d.Class == ClassGSheet || d.Class == ClassCloudHTTP {
					d.Data = true
				}
			}
		}
		out = append(out, d)
	}
	for _, c := range n.Code() {
		for _, m := range c.Masked.Magics {
			if m.Kind != ps.ShellEscape && m.Kind != ps.ShellAssign {
				continue
			}
			name := strings.TrimPrefix(m.Name, "!")
			toks := MagicArgTokens(c, m)
			d := Download{Cell: c.Index, Pos: Pos{m.Line, m.Col}, End: Pos{m.EndLine, m.Col + 1}, Shell: true, Data: true}
			if ls := c.lines(); m.Line >= 1 && m.Line <= len(ls) {
				d.End = Pos{m.Line, utf8.RuneCountInString(ls[m.Line-1]) + 1}
			}
			url := ""
			for _, a := range toks {
				if reHTTP.MatchString(a.Text) || strings.Contains(a.Text, "://") {
					url = a.Text
					break
				}
			}
			switch name {
			case "wget", "curl", "gdown", "axel", "aria2c":
				d.Via = "!" + name
			case "kaggle":
				if len(toks) >= 2 && (toks[0].Text == "datasets" || toks[0].Text == "competitions" || toks[0].Text == "kernels") &&
					(toks[1].Text == "download" || toks[1].Text == "output") {
					d.Via = "!kaggle " + toks[0].Text + " " + toks[1].Text
				}
			case "aws", "gsutil", "gcloud", "azcopy":
				// aws s3 cp/sync s3://… local, gsutil cp gs://… local
				var ops []string
				for _, a := range toks {
					if !strings.HasPrefix(a.Text, "-") && (a.Flag == "" || !pathFlagTakesValue(name, a.Flag)) {
						ops = append(ops, a.Text)
					}
				}
				for i, o := range ops {
					if (o == "cp" || o == "sync") && i+2 < len(ops) && strings.Contains(ops[i+1], "://") && !strings.Contains(ops[i+2], "://") {
						d.Via = "!" + name + " " + strings.Join(ops[:i+1], " ")
						url = ops[i+1]
					}
				}
			}
			if d.Via == "" {
				continue
			}
			if name == "curl" && url == "" {
				continue
			}
			d.URL = url
			if url != "" && !strings.ContainsAny(url, "${") {
				d.Class = ClassifyPath(url, true, true)
			}
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	return out
}

func pathIsTrue(t *ps.Tree, n ps.NodeID) bool {
	return n != ps.NoNode && t.Kind(n) == ps.True
}
