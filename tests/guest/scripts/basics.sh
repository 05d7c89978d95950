# basics.sh — bash without pipelines: loops, arithmetic, functions,
# arrays, string operations, here-docs, redirections; builtins only (the
# bash-fork case runs external commands). No pipelines or command
# substitution yet.
set -u
fib() {
	local n=$1 a=0 b=1 t i
	for ((i = 0; i < n; i++)); do
		t=$((a + b)); a=$b; b=$t
	done
	result=$a
}
declare -A seen
count=0
while read -r w; do
	key=${w%%-*}
	seen[$key]=$((${seen[$key]:-0} + 1))
	count=$((count + 1))
	[ $count -ge 600 ] && break
done <words.txt
for k in alpha beta gamma delta; do
	echo "$k ${seen[$k]:-0}"
done
fib 90
echo "fib(90) = $result"
echo "pow: $((2 ** 62)) mod: $((-17 % 5)) shift: $((1 << 40 >> 3))"
s="The quick brown fox"
echo "${s^^} ${s,,} ${#s} ${s:4:5} ${s/quick/slow} ${s// /_}"
arr=(3 1 4 1 5 9 2 6)
sum=0
for x in "${arr[@]}"; do sum=$((sum + x)); done
echo "sum=$sum n=${#arr[@]} last=${arr[-1]}"
while read -r line; do
	case $line in
	*[0-9]*) echo "digits: $line" ;;
	*) echo "words: $line" ;;
	esac
done <<'END'
first line
second 2
third
END
printf '%05d|%-6s|%x|%.3f\n' 42 ab 255 3.14159
while read -r line; do
	echo "$line"
done >out.txt <<END
written by bash, count=$count
$(( count * 3 ))
END
read -r first <out.txt
echo "read back: $first, status $?"
exit 3
