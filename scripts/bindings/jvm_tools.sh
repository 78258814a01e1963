# Sourced by jar.sh and uniffi_check.sh: makes sure Java 17 (with javac), Debian's JNA and the npm
# package kotlin-compiler (Debian's kotlin is too old for UniFFI's Kotlin) are here, installing
# what is missing; sets KOTLINC and JNA_JAR.
KOTLIN_VERSION=2.4.20
KOTLIN_HOME=${ZHENGWU_KOTLIN_HOME:-target/kotlin-$KOTLIN_VERSION}
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
missing=()
command -v npm > /dev/null || missing+=(npm)
command -v javac > /dev/null || missing+=(openjdk-17-jdk-headless)
[ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
if [ ${#missing[@]} -gt 0 ]; then
    $sudo apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
if [ ! -x "$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc" ]; then
    npm install --silent --prefix "$KOTLIN_HOME" "kotlin-compiler@$KOTLIN_VERSION" > /dev/null
fi
KOTLINC="$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc"
JNA_JAR=/usr/share/java/jna.jar
