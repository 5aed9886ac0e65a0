function greet(string $name): string
{
    return sprintf("Hello, %s!", $name);
}

$names = ['Ada', 'Linus'];
foreach ($names as $i => $name) {
    echo greet($name), PHP_EOL;
}
